// @ts-check
/**
 * The TaskManagers list: id, addresses, slots (free of total) and heartbeat age, from
 * `/taskmanagers` on every poll. A heartbeat older than a few seconds stands out, as the
 * JobManager is about to declare that TaskManager lost.
 * @module
 */

import { el, table } from "./dom.js";
import { formatDuration, formatTime } from "./format.js";
import { getJson } from "./rest-client.js";

/** @typedef {import("./rest-client.js").TaskManager} TaskManager */

const STALE_HEARTBEAT_MS = 3000;

/** @returns {Promise<HTMLElement>} */
export async function renderTaskManagers() {
  /** @type {{ taskmanagers: TaskManager[] }} */
  const { taskmanagers } = await getJson("/taskmanagers");
  const rows = [...taskmanagers]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((tm) =>
      el(
        "tr",
        { "data-testid": "taskmanager-row" },
        el("td", { "data-testid": "taskmanager-id" }, tm.id),
        el("td", {}, tm.hostname),
        el("td", {}, tm.dataHost),
        el("td", { class: "number" }, tm.pid),
        el(
          "td",
          { class: "number", "data-testid": "taskmanager-slots" },
          `${tm.freeSlots} / ${tm.slotsNumber}`,
        ),
        el("td", {}, formatTime(tm.registeredAt)),
        el(
          "td",
          {
            class: tm.timeSinceLastHeartbeat > STALE_HEARTBEAT_MS ? "number error-text" : "number",
            "data-testid": "taskmanager-heartbeat",
          },
          formatDuration(tm.timeSinceLastHeartbeat),
        ),
      ),
    );
  return el(
    "section",
    {},
    el("h1", {}, "TaskManagers"),
    table(
      "taskmanagers-table",
      [
        "Id",
        "Host",
        "Data address",
        ["PID", "number"],
        ["Free / slots", "number"],
        "Registered",
        ["Heartbeat age", "number"],
      ],
      rows,
      "No TaskManager registered: start one with `weir taskmanager --jobmanager host:port`.",
    ),
  );
}
