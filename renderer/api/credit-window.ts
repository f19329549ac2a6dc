// Credit bookkeeping of one stream, on the window's side. The host may send `size` events before
// hearing back; granting one credit per event would double the message count, so credit goes back
// in batches once half the window has been handled: the host never stalls while we keep up.
export class CreditWindow {
  private handledSinceGrant = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 2) throw new RangeError('a credit window holds at least 2 events');
  }

  /** The credit to open the stream with. */
  get initial(): number {
    return this.size;
  }

  /** Call once per handled event; answers how much credit to grant now (0: none yet). */
  handled(): number {
    this.handledSinceGrant += 1;
    if (this.handledSinceGrant < Math.ceil(this.size / 2)) return 0;
    const grant = this.handledSinceGrant;
    this.handledSinceGrant = 0;
    return grant;
  }
}
