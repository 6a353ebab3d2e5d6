import type { ManifestHeader, ManifestPage } from '@syncwire/blob';
import type { SyncProtocolError } from './errors.ts';
import type { ReconResult } from './recon.ts';

/** What the session tells its driver. Storage is reached only through these events and the `respond*` calls. */
export type SessionEvent =
  /** HELLO exchanged: the negotiated version and limits. */
  | {
      type: 'established';
      version: number;
      maxFrame: number;
      maxInflight: number;
      /** Capability bits both sides have. */
      capabilities: number;
      /** The peer's id from its HELLO. */
      peerId: Uint8Array;
    }
  /** A reconciliation started with `reconcile(scope)` finished: `remoteOnly` are ids to consider wanting. */
  | ({ type: 'reconciled' } & ReconResult)
  /** A reconciliation could not finish (declined, no common algorithm, no answer, limits). */
  | { type: 'reconcile-failed'; scope: number; reason: string }
  /** The peer announced (HAVE) what it holds of a blob, verified: every chunk, or these chunk ranges. */
  | { type: 'peer-have'; blobId: Uint8Array; all: boolean; ranges: Array<[number, number]> }
  /** The peer wants a manifest page: answer with `respondPage(reqId, …)` or `respondNoData(reqId)`. */
  | { type: 'need-page'; reqId: number; blobId: Uint8Array; pageIndex: number; pageBits: number }
  /** The peer wants a chunk: answer with `respondChunk(reqId, bytes)` or `respondNoData(reqId)`. */
  | { type: 'need-chunk'; reqId: number; blobId: Uint8Array; index: number }
  /** A manifest page verified against the BlobId: persist it to resume later. */
  | { type: 'store-page'; blobId: Uint8Array; header: ManifestHeader; page: ManifestPage }
  /**
   * A chunk verified against its leaf record: the only way chunk bytes reach storage. `bytes` is a zero-copy
   * view of the frame passed to `handleFrame` (or of what the `local` lookup returned): copy it if the transport
   * reuses that buffer.
   */
  | { type: 'store-chunk'; blobId: Uint8Array; index: number; bytes: Uint8Array }
  /** Every chunk of a wanted blob is verified and was handed out (now or in an earlier session). */
  | { type: 'blob-complete'; blobId: Uint8Array }
  /** A page or chunk assigned by a {@link Swarm} could not be fetched from this peer (the swarm moves it). */
  | {
      type: 'item-failed';
      blobId: Uint8Array;
      kind: 'page' | 'chunk';
      index: number;
      /** `no-data`: the peer does not hold it; `refused`: it declined (draining), which says nothing about that. */
      reason: 'no-data' | 'refused' | 'timeout' | 'bad-data' | 'too-large';
    }
  /** A wanted blob cannot be fetched over this session (`refused`: the peer declined, e.g. while draining). */
  | { type: 'blob-failed'; blobId: Uint8Array; reason: 'no-data' | 'refused' | 'inconsistent' | 'too-large' }
  /** The peer did something wrong; `score` is its running total. */
  | { type: 'misbehaviour'; what: string; score: number }
  /** The session is over. `error` is set when it ended on an error (ours or the peer's). */
  | { type: 'closed'; reason: string; error?: SyncProtocolError };
