import { runJob } from "@weir/runtime";
import { natsFilter } from "./index.ts";
await natsFilter.prepare!(50000);
const t0 = performance.now();
await runJob(new URL(process.argv[2]!, import.meta.url), { parallelism: Number(process.argv[3] ?? 2), params: { events: 50000, verify: false } });
console.log("run", ((performance.now() - t0) / 1000).toFixed(2), "s");
