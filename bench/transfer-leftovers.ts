// What the transfer figures made and have not removed yet: every image, file and process is
// registered before it is made, removed as soon as its run is over, and whatever is still here
// when the section ends or is interrupted (Ctrl-C) goes then, newest first.
type Undo = () => Promise<unknown>;

export class Leftovers {
  private readonly undos = new Set<Undo>();

  /** Registers `undo`; the answer runs it now (once) and forgets it. */
  add(undo: Undo): () => Promise<void> {
    this.undos.add(undo);
    return async () => {
      if (!this.undos.delete(undo)) return;
      await undo().catch(() => undefined);
    };
  }

  async clear(): Promise<void> {
    for (const undo of [...this.undos].reverse()) {
      this.undos.delete(undo);
      await undo().catch(() => undefined);
    }
  }
}
