-- Order statistics with Flink SQL on Weir: a bounded, seeded datagen source (the same rows on every
-- run and at any parallelism), a filter, a grouped aggregation with retraction, a Top-N and a
-- tumbling event-time window.
--   npx weir sql -f examples/sql/order-stats.sql --format tableau -p 2

CREATE TABLE orders (
  order_id BIGINT,
  product STRING,
  amount DECIMAL(10, 2),
  order_time TIMESTAMP(3),
  -- Random times within the last hour: the watermark allows that much disorder, so no order is late.
  WATERMARK FOR order_time AS order_time - INTERVAL '1' HOUR
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '1000',
  'seed' = '42',
  'fields.order_id.kind' = 'sequence',
  'fields.order_id.start' = '1',
  'fields.order_id.end' = '1000',
  'fields.product.length' = '1',
  'fields.amount.min' = '1',
  'fields.amount.max' = '100',
  'fields.order_time.max-past' = '3600000'
);

-- Revenue per product.
SELECT product, COUNT(*) AS orders, SUM(amount) AS revenue
FROM orders
GROUP BY product;

-- The three largest orders of each product.
SELECT product, order_id, amount
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY product ORDER BY amount DESC, order_id) AS rn
  FROM orders
)
WHERE rn <= 3;

-- Orders per 10-minute window of event time.
SELECT window_start, window_end, COUNT(*) AS orders
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(order_time), INTERVAL '10' MINUTE))
GROUP BY window_start, window_end;
