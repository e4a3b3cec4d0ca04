import { z } from "zod";

/** Platform ids are opaque strings chosen by the platform (contract §0). */
export const PlatformId = z
  .string()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

/** RFC 3339 timestamp in UTC, e.g. 2021-02-01T09:15:00Z. */
export const Timestamp = z.iso.datetime({
  offset: false,
  message: "must be an RFC 3339 timestamp in UTC, e.g. 2021-02-01T09:15:00Z",
});

/** ISO 3166-1 alpha-2 shape; membership is checked against the country table by the ingest service. */
export const CountryShape = z
  .string()
  .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code in upper case");

export const Handle = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,15}$/, "must be 1-15 characters of letters, digits and underscore");

export const AccountEvent = z.strictObject({
  type: z.literal("account"),
  id: PlatformId,
  handle: Handle,
  displayName: z.string().max(100).default(""),
  createdAt: Timestamp,
  country: CountryShape.nullable().default(null),
  lang: z.string().min(2).max(16).nullable().default(null),
  bio: z.string().max(1000).default(""),
  hasAvatar: z.boolean().default(true),
  followers: z.number().int().nonnegative().default(0),
  following: z.number().int().nonnegative().default(0),
  verified: z.boolean().default(false),
});

export const MediaItem = z.strictObject({
  id: PlatformId,
  type: z.enum(["image", "video", "gif"]),
  url: z.string().max(2048).optional(),
});

export const PostEvent = z.strictObject({
  type: z.literal("post"),
  id: PlatformId,
  authorId: PlatformId,
  createdAt: Timestamp,
  text: z.string().max(10_000).default(""),
  lang: z.string().min(2).max(16).nullable().default(null),
  replyTo: PlatformId.nullable().default(null),
  quoteOf: PlatformId.nullable().default(null),
  repostOf: PlatformId.nullable().default(null),
  urls: z.array(z.string().max(2048)).max(50).default([]),
  media: z.array(MediaItem).max(20).default([]),
});

export const DeleteEvent = z.strictObject({
  type: z.literal("delete"),
  id: PlatformId,
  at: Timestamp,
});

export const PlatformEvent = z.discriminatedUnion("type", [AccountEvent, PostEvent, DeleteEvent]);

export type AccountEvent = z.output<typeof AccountEvent>;
export type PostEvent = z.output<typeof PostEvent>;
export type DeleteEvent = z.output<typeof DeleteEvent>;
export type PlatformEvent = z.output<typeof PlatformEvent>;
/** The shape a producer writes (defaults may be omitted). */
export type PlatformEventInput = z.input<typeof PlatformEvent>;
