/** A bounded list: once full, each push drops the oldest entry. The array stays a plain array for callers. */
export class BoundedList<T> {
  /** Entries dropped since the start. */
  dropped = 0;

  constructor(
    readonly items: T[],
    private readonly max: number,
  ) {}

  /** Appends an entry, dropping the oldest while over the bound. */
  push(item: T): void {
    this.items.push(item);
    while (this.items.length > this.max) {
      this.items.shift();
      this.dropped++;
    }
  }
}

/** Appends to an array kept at most `max` long (oldest dropped); returns how many were dropped. */
export function pushBounded<T>(items: T[], item: T, max: number): number {
  items.push(item);
  let dropped = 0;
  while (items.length > max) {
    items.shift();
    dropped++;
  }
  return dropped;
}
