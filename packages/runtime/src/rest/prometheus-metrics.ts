/**
 * The `/metrics` endpoint in Prometheus text format (version 0.0.4): cluster, job, vertex, task
 * and checkpoint figures, and the Node process's own (the JVM metrics' counterpart). Everything is
 * read at scrape time from counters the tasks already keep and report every metrics interval, so
 * scraping adds no work per record.
 *
 * Task counters start from zero with every attempt (a restart makes new tasks), as Flink's do.
 *
 * Example lines:
 *   weir_taskmanagers 3
 *   weir_task_records_in_total{job_id="…",vertex="1",vertex_name="Sequence checker",subtask="0"} 5120
 * @module
 */

import { monitorEventLoopDelay } from "node:perf_hooks";
import type { RestBackend } from "./rest-backend.ts";

const eventLoopDelay = monitorEventLoopDelay({ resolution: 20 });
eventLoopDelay.enable();

function label(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

/** The text format spells infinities `+Inf` / `-Inf` (a finished input's watermark is +Inf). */
function sampleValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return Number.isNaN(value) ? "0" : String(value);
}

class Exposition {
  readonly #lines: string[] = [];
  readonly #declared = new Set<string>();

  add(
    name: string,
    type: "gauge" | "counter",
    help: string,
    value: number,
    labels: Record<string, string> = {},
  ): void {
    if (!this.#declared.has(name)) {
      this.#declared.add(name);
      this.#lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    }
    const pairs = Object.entries(labels).map(([k, v]) => `${k}="${label(v)}"`);
    this.#lines.push(`${name}${pairs.length > 0 ? `{${pairs.join(",")}}` : ""} ${sampleValue(value)}`);
  }

  toString(): string {
    return `${this.#lines.join("\n")}\n`;
  }
}

export function renderMetrics(jobManager: RestBackend): string {
  const out = new Exposition();
  const registry = jobManager.registry;
  out.add("weir_taskmanagers", "gauge", "Registered TaskManagers.", registry.all.length);
  out.add("weir_slots_total", "gauge", "Slots offered by the registered TaskManagers.", registry.totalSlots);
  out.add("weir_slots_available", "gauge", "Slots not running any attempt.", registry.availableSlots);
  for (const job of jobManager.jobs.values()) {
    const jobLabels = { job_id: job.id, job_name: job.name };
    out.add(
      "weir_job_running",
      "gauge",
      "1 while the job is running.",
      job.state === "RUNNING" ? 1 : 0,
      jobLabels,
    );
    out.add("weir_job_restarts_total", "counter", "Restarts of the job.", job.attempt, jobLabels);
    out.add(
      "weir_job_uptime_seconds",
      "gauge",
      "Time since submission, until the job ended.",
      ((job.endedAt ?? Date.now()) - job.submittedAt) / 1000,
      jobLabels,
    );
    out.add(
      "weir_job_checkpoints_completed_total",
      "counter",
      "Completed checkpoints.",
      job.completedCheckpoints,
      jobLabels,
    );
    out.add(
      "weir_job_checkpoints_failed_total",
      "counter",
      "Triggered checkpoints that did not complete (expired, declined or abandoned).",
      job.failedCheckpoints,
      jobLabels,
    );
    const last = job.checkpoints[job.checkpoints.length - 1];
    if (last !== undefined) {
      out.add(
        "weir_job_last_checkpoint_id",
        "gauge",
        "Id of the latest completed checkpoint.",
        last.id,
        jobLabels,
      );
      out.add(
        "weir_job_last_checkpoint_duration_seconds",
        "gauge",
        "Duration of the latest completed checkpoint.",
        last.durationMs / 1000,
        jobLabels,
      );
      out.add(
        "weir_job_last_checkpoint_size_bytes",
        "gauge",
        "Bytes the latest completed checkpoint added to storage (with incremental state, the delta).",
        last.sizeBytes,
        jobLabels,
      );
      out.add(
        "weir_job_last_checkpoint_full_size_bytes",
        "gauge",
        "Bytes a restore from the latest completed checkpoint reads (shared state blobs included).",
        last.fullSizeBytes,
        jobLabels,
      );
      out.add(
        "weir_job_last_checkpoint_alignment_seconds",
        "gauge",
        "Longest barrier alignment of the latest checkpoint.",
        last.maxAlignmentMs / 1000,
        jobLabels,
      );
      out.add(
        "weir_job_last_checkpoint_in_flight_bytes",
        "gauge",
        "In-flight data persisted by the latest checkpoint (0 unless unaligned).",
        last.inFlightBytes,
        jobLabels,
      );
    }
    const graph = job.graph;
    if (graph === undefined) continue;
    for (const [vertex, counters] of job.vertexCounters()) {
      const vertexLabels = {
        ...jobLabels,
        vertex: String(vertex),
        vertex_name: graph.vertices[vertex]?.name ?? "",
      };
      out.add(
        "weir_vertex_records_in_total",
        "counter",
        "Records the vertex's subtasks read from the network (this attempt).",
        counters.recordsIn,
        vertexLabels,
      );
      out.add(
        "weir_vertex_records_out_total",
        "counter",
        "Records the vertex's subtasks sent to the network (this attempt).",
        counters.recordsOut,
        vertexLabels,
      );
      out.add(
        "weir_vertex_backpressured_ratio",
        "gauge",
        "Share of the vertex's subtasks waiting for credit at the last report.",
        counters.backpressuredRatio,
        vertexLabels,
      );
      if (counters.watermark !== null)
        out.add(
          "weir_vertex_current_watermark_milliseconds",
          "gauge",
          "Lowest event-time watermark over the vertex's subtasks (epoch milliseconds).",
          counters.watermark,
          vertexLabels,
        );
    }
    for (const counters of job.group?.counters.values() ?? []) {
      for (const task of counters) {
        const taskLabels = {
          ...jobLabels,
          vertex: String(task.vertex),
          vertex_name: graph.vertices[task.vertex]?.name ?? "",
          subtask: String(task.subtask),
        };
        out.add(
          "weir_task_records_in_total",
          "counter",
          "Records the task read from the network (this attempt).",
          task.recordsIn,
          taskLabels,
        );
        out.add(
          "weir_task_records_out_total",
          "counter",
          "Records the task sent to the network (this attempt).",
          task.recordsOut,
          taskLabels,
        );
        out.add(
          "weir_task_backpressured",
          "gauge",
          "1 if the task waited for credit at the last report.",
          task.backpressured ? 1 : 0,
          taskLabels,
        );
        if (task.watermark !== null)
          out.add(
            "weir_task_current_watermark_milliseconds",
            "gauge",
            "The task's event-time watermark (epoch milliseconds).",
            task.watermark,
            taskLabels,
          );
      }
    }
  }
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  out.add(
    "process_cpu_seconds_total",
    "counter",
    "User and system CPU time of the JobManager process.",
    (cpu.user + cpu.system) / 1e6,
  );
  out.add("process_resident_memory_bytes", "gauge", "Resident memory of the JobManager process.", memory.rss);
  out.add(
    "process_start_time_seconds",
    "gauge",
    "Start of the JobManager process, seconds since the epoch.",
    Math.floor((Date.now() - process.uptime() * 1000) / 1000),
  );
  out.add("nodejs_heap_used_bytes", "gauge", "V8 heap in use.", memory.heapUsed);
  out.add("nodejs_heap_total_bytes", "gauge", "V8 heap allocated.", memory.heapTotal);
  out.add(
    "nodejs_external_memory_bytes",
    "gauge",
    "Memory of C++ objects bound to JavaScript objects.",
    memory.external,
  );
  out.add(
    "nodejs_eventloop_lag_p99_seconds",
    "gauge",
    "99th percentile of the event loop delay.",
    eventLoopDelay.percentile(99) / 1e9,
  );
  return out.toString();
}
