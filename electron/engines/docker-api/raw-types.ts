// The parts of the Docker API's image JSON Crossdock reads, typed as the engines actually send
// them: recorded answers from Docker 20.10 and Podman 4.3's compatible API have nulls where the
// documentation promises arrays, and Podman adds fields of its own.

export interface RawImageListEntry {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  /** Unix seconds. */
  Created?: number | null;
  Size?: number | null;
  Labels?: Record<string, string> | null;
  Containers?: number | null;
  /** Podman only. */
  Dangling?: boolean | null;
}

export interface RawImageConfig {
  Env?: string[] | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  WorkingDir?: string | null;
  User?: string | null;
  ExposedPorts?: Record<string, unknown> | null;
  Labels?: Record<string, string> | null;
}

export interface RawImageInspect {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  /** RFC 3339. */
  Created?: string | null;
  Author?: string | null;
  Architecture?: string | null;
  Os?: string | null;
  Variant?: string | null;
  Size?: number | null;
  Config?: RawImageConfig | null;
  RootFS?: { Type?: string; Layers?: string[] | null } | null;
}

export interface RawHistoryEntry {
  Id?: string;
  /** Unix seconds. */
  Created?: number | null;
  CreatedBy?: string | null;
  Size?: number | null;
  Comment?: string | null;
  Tags?: string[] | null;
}

/** One element of DELETE /images/{name}: either key. */
export interface RawDeleteItem {
  Untagged?: string;
  Deleted?: string;
}

export interface RawPruneResponse {
  ImagesDeleted?: RawDeleteItem[] | null;
  SpaceReclaimed?: number | null;
}

export interface RawVersion {
  Version?: string;
  ApiVersion?: string;
  MinAPIVersion?: string;
  Os?: string;
  Arch?: string;
  Components?: { Name?: string; Version?: string }[] | null;
}
