/**
 * Nexmark events: people, auctions and bids, with the reference field names and types. Ids are
 * JavaScript numbers (they stay far below 2^53); times are epoch milliseconds (the reference's
 * TIMESTAMP(3) in UTC).
 * @module
 */

export interface Person {
  readonly id: number;
  readonly name: string;
  readonly emailAddress: string;
  readonly creditCard: string;
  readonly city: string;
  readonly state: string;
  readonly dateTime: number;
  readonly extra: string;
}

export interface Auction {
  readonly id: number;
  readonly itemName: string;
  readonly description: string;
  readonly initialBid: number;
  readonly reserve: number;
  readonly dateTime: number;
  readonly expires: number;
  readonly seller: number;
  readonly category: number;
  readonly extra: string;
}

export interface Bid {
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly channel: string;
  readonly url: string;
  readonly dateTime: number;
  readonly extra: string;
}

/** The reference's event type codes: 0 person, 1 auction, 2 bid. */
export const EventType = { PERSON: 0, AUCTION: 1, BID: 2 } as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export type NexmarkEvent =
  | { readonly type: 0; readonly person: Person }
  | { readonly type: 1; readonly auction: Auction }
  | { readonly type: 2; readonly bid: Bid };
