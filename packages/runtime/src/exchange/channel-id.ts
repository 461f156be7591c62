/**
 * Channel ids: one channel per (job edge, sending subtask, receiving subtask). Packed into one
 * number so frames carry an integer, not a string.
 * @module
 */

/** Parallelism above this cannot be addressed by a channel id. */
export const MAX_SUBTASKS = 1024;

export function channelId(edge: number, sender: number, receiver: number): number {
  return edge * MAX_SUBTASKS * MAX_SUBTASKS + sender * MAX_SUBTASKS + receiver;
}

export function describeChannel(id: number): string {
  const receiver = id % MAX_SUBTASKS;
  const sender = Math.floor(id / MAX_SUBTASKS) % MAX_SUBTASKS;
  const edge = Math.floor(id / (MAX_SUBTASKS * MAX_SUBTASKS));
  return `edge ${edge} subtask ${sender} -> ${receiver}`;
}

/** The edge and subtasks a channel id names. */
export function parseChannel(id: number): { edge: number; sender: number; receiver: number } {
  return {
    receiver: id % MAX_SUBTASKS,
    sender: Math.floor(id / MAX_SUBTASKS) % MAX_SUBTASKS,
    edge: Math.floor(id / (MAX_SUBTASKS * MAX_SUBTASKS)),
  };
}
