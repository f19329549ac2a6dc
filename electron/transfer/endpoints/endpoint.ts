// What a transfer needs from each end. An image leaves its engine either as a Docker archive
// stream (pivot A) or as a root folder with its ImageConfig (pivot B), and arrives the same way;
// the routes (../route.ts) convert between the pivots when the two ends differ. Each engine family
// that can take part has one file here: this is the transfer's adapter layer, the one place in
// electron/transfer/ that knows which engine is which.
import type { Readable } from 'node:stream';
import type { ImageConfig } from '../image-config';

export interface TransferContext {
  env: NodeJS.ProcessEnv;
  runtimeDir: string;
  /** The user's image folders (the default place of SIF files). */
  imageFolders: () => Promise<string[]>;
  log: (message: string) => void;
}

export interface SourceFacts {
  label: string;
  reference: string | null;
  sizeBytes: number | null;
  layers: number | null;
  architecture: string | null;
  /** The content digest the source's row carries (Docker/Podman config digest), if any. */
  contentDigest: string | null;
  /** Why a copy from here loses something (a SIF signature). */
  warnings: string[];
}

export type SourceShape =
  | { kind: 'archive'; open(signal: AbortSignal): Promise<Readable> }
  /** A folder the source keeps (Charliecloud): read in place, never changed. */
  | { kind: 'folder'; rootDir: string; exclude: string[]; config(): Promise<ImageConfig> }
  /** Made into a folder Crossdock gives (udocker's layers, a SIF's partition). */
  | { kind: 'unpack'; unpack(destDir: string, signal: AbortSignal, progress: UnpackProgress): Promise<{ config: ImageConfig; notes: string[] }> };

export interface UnpackProgress {
  onBytes(count: number): void;
  onLayer(): void;
  /** Records a path a crash would leave (see TargetCall.addLeftover). */
  addLeftover?(path: string): Promise<void>;
}

/**
 * A leftover ending in this mark names the prefix of mkdtemp folders (the random suffix is not
 * known before they are made): the restart removes every sibling whose name starts with it.
 */
export const TEMP_PREFIX_MARK = '*';

export interface Source {
  facts: SourceFacts;
  shape: SourceShape;
}

export interface Received {
  imageId: string | null;
  reference: string | null;
  location: string | null;
  notes: string[];
  /** What the copy's file tree must be compared by, when it can be read back as a folder. */
  treeRoot?: { dir: string; exclude: string[] } | null;
  /** udocker's layer files, compared by digest with the source's. */
  layerDigests?: string[] | null;
}

export interface TargetCall {
  name: string;
  replace: boolean;
  signal: AbortSignal;
  /** A private folder for this target's temporary files, removed after. */
  stagingDir: string;
  /** Paths a crash would leave, recorded so the next start removes them. */
  addLeftover(path: string): Promise<void>;
  /**
   * Records, before the rename, that the image at `path` is about to be moved to `aside` to make
   * room for its replacement: after a crash it is put back unless the replacement got in. Never
   * record `aside` as a leftover: leftovers are deleted.
   */
  recordAside(aside: { path: string; aside: string }): Promise<void>;
  onBytes(count: number): void;
  onLayer(): void;
  onPhase(phase: string): void;
}

export interface Target {
  label: string;
  takes: 'archive' | 'folder';
  /** Runs images on this machine's CPU (udocker, Charliecloud): another architecture is refused. */
  runsHere: boolean;
  defaultName(source: SourceFacts): string;
  /** What the name means here: a file path for SIF, the name itself otherwise. */
  describeName(name: string): Promise<string>;
  nameExists(name: string): Promise<boolean>;
  space(): Promise<{ where: string; freeBytes: number } | null>;
  /** Extra free space needed beside the copy (udocker's archive in the runtime folder). */
  spaceFactor: number;
  receiveArchive?(archive: Readable, call: TargetCall): Promise<Received>;
  /** A folder target: where to build the copy (same file system as its final place). */
  folderStaging?(call: TargetCall): Promise<string>;
  receiveFolder?(rootDir: string, config: ImageConfig, exclude: string[], call: TargetCall): Promise<Received>;
}
