import { alphaPow, fmaBytes, gfInv, gfMul } from './gf256.ts';
import { sharedJsKernels, TABLES_BYTES, wasmKernelsOrNull } from './kernels.ts';
import { encIndicesInto, rand } from './rand.ts';
import type { SystematicParams } from './systematic.ts';

/**
 * A recorded solution of one RaptorQ constraint system A·C = D (RFC 6330 §5.4.2): everything that depends on A
 * only, so the same plan solves any D of that shape (the encoder caches one per K').
 *
 * How it solves (an inactivation decoder equivalent to the RFC's PI algorithm, §5.4.2.2–§5.4.2.6):
 * 1. Phase 1 works on the binary rows (LDPC + LT) without touching them: the PI columns start inactive, then the
 *    row with the fewest active columns is taken as the next pivot (r = 2: a row in the largest component of the
 *    two-ones graph, as in §5.4.2.2) and its other active columns are inactivated. Because a pivot row only
 *    ever feeds pivot and inactive columns into other rows, the original rows of the pivots are lower
 *    triangular on the active columns: no fill-in is stored and no matrix row is ever added.
 * 2. With the inactive symbols set to zero, one forward substitution gives every active symbol y. The rows
 *    that were not pivots (and the HDPC rows, through the MT·GAMMA recurrence of §5.3.3.3) then give a small
 *    dense system on the u inactive symbols; it is eliminated in GF(2) first and GF(256) only where the HDPC
 *    rows are needed (RFC errata: everything but U_lower stays binary).
 * 3. With the inactive symbols known, a second forward substitution gives the true active symbols.
 * Symbol work is then two sparse substitutions, O(K'·T) for the HDPC rows, and O(u²·T) for the dense part.
 */
export interface Plan {
  readonly p: SystematicParams;
  /** Binary rows: S LDPC rows then one LT row per ISI of the system. */
  readonly rowStart: Int32Array;
  readonly rowCols: Int32Array;
  /** Pivot steps in order: row and the column it solves, and that row's other columns (CSR). */
  readonly pivRow: Int32Array;
  readonly pivCol: Int32Array;
  readonly passStart: Int32Array;
  readonly passCols: Int32Array;
  /** The same lists without the inactive columns (they are zero in the first substitution). */
  readonly pass1Start: Int32Array;
  readonly pass1Cols: Int32Array;
  /** Active columns of each dense binary row (CSR), for its residual. */
  readonly denseStart: Int32Array;
  readonly denseCols: Int32Array;
  /** Inactive columns; the dense solve leaves the value of `inact[q]` in dense slot `qSlot[q]`. */
  readonly inact: Int32Array;
  readonly qSlot: Int32Array;
  /** Binary rows whose residual feeds dense slot `s` (for s < denseRows.length). */
  readonly denseRows: Int32Array;
  /** First dense slot of the H HDPC residuals, or −1 when the binary rows alone had full rank. */
  readonly hdpcSlot: number;
  /** Dense slots in use. */
  readonly slots: number;
  /** Dense operations, 3 ints each: (dst, src, β): dst ^= β·src; src = −1 means dst = β·dst. */
  readonly ops: Int32Array;
  /** HDPC row pair (MT's two ones) per column j < K'+S−1, as i1 | i2 << 8. */
  readonly hdpcPairs: Uint16Array;
}

const HDPC_PAIRS = new Map<number, Uint16Array>();

/** MT of RFC 6330 §5.3.3.3: the two HDPC rows with a one in column j, for j < K'+S−1 (cached per K'). */
function hdpcPairs(p: SystematicParams): Uint16Array {
  let t = HDPC_PAIRS.get(p.Kp);
  if (t) return t;
  const n = p.Kp + p.S;
  t = new Uint16Array(n);
  for (let j = 0; j < n - 1; j++) {
    const i1 = rand(j + 1, 6, p.H);
    const i2 = (i1 + rand(j + 1, 7, p.H - 1) + 1) % p.H;
    t[j] = i1 | (i2 << 8);
  }
  if (HDPC_PAIRS.size >= 32) HDPC_PAIRS.clear();
  HDPC_PAIRS.set(p.Kp, t);
  return t;
}

/** CSR of the binary rows of A: S LDPC rows (§5.3.3.3) then the LT rows of `isis` (§5.3.5.3). */
export function binaryRows(
  p: SystematicParams,
  isis: Int32Array,
): { rowStart: Int32Array; rowCols: Int32Array } {
  const { S, B, W, P } = p;
  const nRows = S + isis.length;
  const rowStart = new Int32Array(nRows + 1);
  // LDPC: column i < B has ones in rows i%S, +a, +2a (mod S) with a = 1 + floor(i/S); each row adds 3 more.
  const ldpcCount = new Int32Array(S).fill(3);
  for (let i = 0; i < B; i++) {
    const a = 1 + Math.floor(i / S);
    let b = i % S;
    ldpcCount[b]!++;
    b = (b + a) % S;
    ldpcCount[b]!++;
    b = (b + a) % S;
    ldpcCount[b]!++;
  }
  let nnz = 0;
  for (let r = 0; r < S; r++) {
    rowStart[r] = nnz;
    nnz += ldpcCount[r]!;
  }
  // LT rows average about 7 entries (at most 30 + 3): start near that and grow when needed.
  let rowCols = new Int32Array(nnz + isis.length * 8 + 64);
  const fill = new Int32Array(S);
  for (let r = 0; r < S; r++) fill[r] = rowStart[r]!;
  for (let i = 0; i < B; i++) {
    const a = 1 + Math.floor(i / S);
    let b = i % S;
    rowCols[fill[b]!++] = i;
    b = (b + a) % S;
    rowCols[fill[b]!++] = i;
    b = (b + a) % S;
    rowCols[fill[b]!++] = i;
  }
  for (let r = 0; r < S; r++) {
    rowCols[fill[r]!++] = B + r;
    rowCols[fill[r]!++] = W + (r % P);
    rowCols[fill[r]!++] = W + ((r + 1) % P);
  }
  const t = new Int32Array(6);
  let at = nnz;
  for (let n = 0; n < isis.length; n++) {
    if (at + 40 > rowCols.length) {
      const grown = new Int32Array(rowCols.length * 2);
      grown.set(rowCols);
      rowCols = grown;
    }
    rowStart[S + n] = at;
    at += encIndicesInto(p, isis[n]!, rowCols, at, t);
  }
  rowStart[nRows] = at;
  return { rowStart, rowCols };
}

/** Result of phase 1: pivots in order, inactive columns, and which rows were used as pivots. */
interface Phase1 {
  pivRow: Int32Array;
  pivCol: Int32Array;
  nPiv: number;
  inact: Int32Array;
  used: Uint8Array;
}

/** Rows bucketed by their number of active columns: doubly linked lists, one per count (counts only drop). */
class Buckets {
  readonly head: Int32Array;
  readonly next: Int32Array;
  readonly prev: Int32Array;
  min: number;

  constructor(maxCount: number, rows: number) {
    this.head = new Int32Array(maxCount + 1).fill(-1);
    this.next = new Int32Array(rows);
    this.prev = new Int32Array(rows);
    this.min = maxCount + 1;
  }

  link(r: number, c: number): void {
    const h = this.head[c]!;
    this.next[r] = h;
    this.prev[r] = -1;
    if (h >= 0) this.prev[h] = r;
    this.head[c] = r;
    if (c < this.min) this.min = c;
  }

  unlink(r: number, c: number): void {
    const nx = this.next[r]!;
    const pv = this.prev[r]!;
    if (pv >= 0) this.next[pv] = nx;
    else this.head[c] = nx;
    if (nx >= 0) this.prev[nx] = pv;
  }
}

/**
 * Lowers the active count of every unused row holding column `c` (which just stopped being active). A row that
 * drops to two active columns records them in `pairs` (they stay its two while it has count 2).
 */
function deactivate(
  c: number,
  colStart: Int32Array,
  colRows: Int32Array,
  used: Uint8Array,
  count: Int32Array,
  bk: Buckets,
  rowStart: Int32Array,
  rowCols: Int32Array,
  colState: Uint8Array,
  W: number,
  pairs: Int32Array,
): void {
  for (let t = colStart[c]!, e = colStart[c + 1]!; t < e; t++) {
    const r = colRows[t]!;
    if (used[r]) continue;
    const n = count[r]!;
    bk.unlink(r, n);
    count[r] = n - 1;
    if (n > 1) {
      bk.link(r, n - 1);
      if (n === 3) twoActive(r, rowStart, rowCols, colState, W, pairs);
    }
  }
}

function find(parent: Int32Array, x: number): number {
  while (parent[x]! !== x) {
    const g = parent[parent[x]!]!;
    parent[x] = g;
    x = g;
  }
  return x;
}

/** The first two active columns of row r, into pairs[2r], pairs[2r+1]. */
function twoActive(
  r: number,
  rowStart: Int32Array,
  rowCols: Int32Array,
  colState: Uint8Array,
  W: number,
  pairs: Int32Array,
): void {
  let n = 2 * r;
  for (let t = rowStart[r]!, e = rowStart[r + 1]!; t < e && n < 2 * r + 2; t++) {
    const c = rowCols[t]!;
    if (c < W && colState[c] === 0) pairs[n++] = c;
  }
}

/**
 * RFC 6330 §5.4.2.2 r = 2 rule: a row with two active ones that lies in a largest connected component of the
 * graph whose nodes are columns and whose edges are such rows.
 */
function pickInLargestComponent(
  bk: Buckets,
  pairs: Int32Array,
  parent: Int32Array,
  size: Int32Array,
  touched: Int32Array,
): number {
  let nt = 0;
  const { head, next } = bk;
  for (let q = head[2]!; q >= 0; q = next[q]!) {
    const c0 = pairs[2 * q]!;
    const c1 = pairs[2 * q + 1]!;
    if (parent[c0] === -1) {
      parent[c0] = c0;
      size[c0] = 1;
      touched[nt++] = c0;
    }
    if (parent[c1] === -1) {
      parent[c1] = c1;
      size[c1] = 1;
      touched[nt++] = c1;
    }
    const a = find(parent, c0);
    const b = find(parent, c1);
    if (a !== b) {
      if (size[a]! < size[b]!) {
        parent[a] = b;
        size[b]! += size[a]!;
      } else {
        parent[b] = a;
        size[a]! += size[b]!;
      }
    }
  }
  let best = -1;
  let row = head[2]!;
  for (let q = head[2]!; q >= 0; q = next[q]!) {
    const s = size[find(parent, pairs[2 * q]!)]!;
    if (s > best) {
      best = s;
      row = q;
    }
  }
  for (let i = 0; i < nt; i++) parent[touched[i]!] = -1;
  return row;
}

/** Phase 1 on the binary rows: chooses pivots and inactivates columns, without modifying any row. */
function phase1(p: SystematicParams, rowStart: Int32Array, rowCols: Int32Array, nRows: number): Phase1 {
  const { W, L } = p;
  const colState = new Uint8Array(L); // 0 active, 1 pivot, 2 inactive
  for (let c = W; c < L; c++) colState[c] = 2;
  const count = new Int32Array(nRows);
  const colDeg = new Int32Array(W + 1);
  let maxC = 0;
  for (let r = 0; r < nRows; r++) {
    let n = 0;
    for (let t = rowStart[r]!, e = rowStart[r + 1]!; t < e; t++) {
      const c = rowCols[t]!;
      if (c < W) {
        n++;
        colDeg[c]!++;
      }
    }
    count[r] = n;
    if (n > maxC) maxC = n;
  }
  const colStart = new Int32Array(W + 1);
  for (let c = 0; c < W; c++) colStart[c + 1] = colStart[c]! + colDeg[c]!;
  const colRows = new Int32Array(colStart[W]!);
  const cfill = colStart.slice(0, W);
  for (let r = 0; r < nRows; r++) {
    for (let t = rowStart[r]!, e = rowStart[r + 1]!; t < e; t++) {
      const c = rowCols[t]!;
      if (c < W) colRows[cfill[c]!++] = r;
    }
  }
  const bk = new Buckets(maxC, nRows);
  const pairs = new Int32Array(2 * nRows);
  for (let r = nRows - 1; r >= 0; r--) {
    if (count[r]! > 0) bk.link(r, count[r]!);
    if (count[r] === 2) twoActive(r, rowStart, rowCols, colState, W, pairs);
  }
  const used = new Uint8Array(nRows);
  const pivRow = new Int32Array(L);
  const pivCol = new Int32Array(L);
  const inact = new Int32Array(L);
  let u = 0;
  for (let c = W; c < L; c++) inact[u++] = c;
  let i = 0;
  const parent = new Int32Array(W).fill(-1);
  const size = new Int32Array(W);
  const touched = new Int32Array(W);
  const head = bk.head;

  while (i + u < L) {
    while (bk.min <= maxC && head[bk.min]! < 0) bk.min++;
    const r0 = bk.min;
    if (r0 > maxC) {
      // No row touches the remaining active columns: inactivate them; the dense phase decides the rank.
      for (let c = 0; c < W; c++) {
        if (colState[c] === 0) {
          colState[c] = 2;
          inact[u++] = c;
        }
      }
      break;
    }
    let r = head[r0]!;
    if (r0 === 2) r = pickInLargestComponent(bk, pairs, parent, size, touched);
    else if (r0 > 2) {
      // Tie-break on the original degree (RFC §5.4.2.2): fewest non-PI columns in the original row.
      let best = 1 << 30;
      for (let q = head[r0]!; q >= 0; q = bk.next[q]!) {
        let d = 0;
        for (let t = rowStart[q]!, e = rowStart[q + 1]!; t < e; t++) if (rowCols[t]! < W) d++;
        if (d < best) {
          best = d;
          r = q;
        }
      }
    }
    bk.unlink(r, r0);
    used[r] = 1;
    let piv = -1;
    const u0 = u;
    for (let t = rowStart[r]!, e = rowStart[r + 1]!; t < e; t++) {
      const c = rowCols[t]!;
      if (c >= W || colState[c] !== 0) continue;
      if (piv < 0) {
        piv = c;
        colState[c] = 1;
      } else {
        colState[c] = 2;
        inact[u++] = c;
      }
    }
    pivRow[i] = r;
    pivCol[i] = piv;
    i++;
    // Deactivate after marking, so each row's count drops once per column it loses.
    deactivate(piv, colStart, colRows, used, count, bk, rowStart, rowCols, colState, W, pairs);
    for (let q = u0; q < u; q++) {
      deactivate(inact[q]!, colStart, colRows, used, count, bk, rowStart, rowCols, colState, W, pairs);
    }
  }
  return { pivRow, pivCol, nPiv: i, inact: inact.slice(0, u), used };
}

/**
 * Z = T⁻¹·Q as bit rows over the u inactive columns, one per column (a unit vector for an inactive column),
 * plus the substitution lists: for pivot k, the other columns of its row.
 */
function solveZ(
  ph: Phase1,
  rowStart: Int32Array,
  rowCols: Int32Array,
  L: number,
  uw: number,
): { zc: Int32Array; passStart: Int32Array; passCols: Int32Array } {
  const { pivRow, pivCol, nPiv, inact } = ph;
  const zc = new Int32Array(L * uw);
  for (let q = 0; q < inact.length; q++) zc[inact[q]! * uw + (q >>> 5)]! |= 1 << (q & 31);
  let passN = 0;
  for (let k = 0; k < nPiv; k++) passN += rowStart[pivRow[k]! + 1]! - rowStart[pivRow[k]!]! - 1;
  const passStart = new Int32Array(nPiv + 1);
  const passCols = new Int32Array(passN);
  let pn = 0;
  for (let k = 0; k < nPiv; k++) {
    const r = pivRow[k]!;
    const c0 = pivCol[k]!;
    const dst = c0 * uw;
    passStart[k] = pn;
    for (let t = rowStart[r]!, e = rowStart[r + 1]!; t < e; t++) {
      const c = rowCols[t]!;
      if (c === c0) continue;
      passCols[pn++] = c;
      const src = c * uw;
      for (let w = 0; w < uw; w++) zc[dst + w]! ^= zc[src + w]!;
    }
  }
  passStart[nPiv] = pn;
  return { zc, passStart, passCols };
}

/**
 * HDPC coefficients on the inactive columns, H rows of `ub` bytes: G_HDPC·Z plus the identity on the HDPC
 * columns, with G_HDPC = MT·GAMMA evaluated left to right as y_j = α·y_{j−1} + v_j, row h += Σ MT[h][j]·y_j.
 * y (u octets) is kept bit-sliced, as 8 bit planes of u bits: α·y is then a renumbering of the planes plus
 * three XORs (0x1d has bits 0, 2, 3, 4), and adding a binary v_j is one XOR on plane 0.
 */
function hdpcCoefficients(
  p: SystematicParams,
  zc: Int32Array,
  uw: number,
  u: number,
  ub: number,
  qIndex: Int32Array,
): Uint8Array {
  const { H, Kp, S } = p;
  const pairs = hdpcPairs(p);
  const n = Kp + S;
  const y = new Int32Array(8 * uw);
  const acc = new Int32Array(H * 8 * uw);
  const pw = 8 * uw;
  let base = 0; // logical plane i lives at ((i + base) & 7)·uw
  for (let j = 0; j < n; j++) {
    base = (base + 7) & 7; // α·y: plane i ← plane i−1, plane 0 ← plane 7 …
    const s0 = base * uw;
    const s2 = ((base + 2) & 7) * uw;
    const s3 = ((base + 3) & 7) * uw;
    const s4 = ((base + 4) & 7) * uw;
    const src = j * uw;
    for (let w = 0; w < uw; w++) {
      const t = y[s0 + w]!;
      y[s2 + w]! ^= t; // … then the reduction 0x1d adds the old plane 7 into planes 2, 3, 4
      y[s3 + w]! ^= t;
      y[s4 + w]! ^= t;
      y[s0 + w] = t ^ zc[src + w]!;
    }
    if (j < n - 1) {
      const pr = pairs[j]!;
      const a = (pr & 255) * pw;
      const b = (pr >>> 8) * pw;
      for (let i = 0; i < 8; i++) {
        const si = ((i + base) & 7) * uw;
        const o = i * uw;
        for (let w = 0; w < uw; w++) {
          const v = y[si + w]!;
          acc[a + o + w]! ^= v;
          acc[b + o + w]! ^= v;
        }
      }
    }
  }
  const hd = new Uint8Array(H * ub);
  const yb = new Uint8Array(ub);
  for (let q = 0; q < u; q++) {
    const w = q >>> 5;
    const sh = q & 31;
    let v = 0;
    for (let i = 0; i < 8; i++) v |= ((y[((i + base) & 7) * uw + w]! >>> sh) & 1) << i;
    yb[q] = v;
    for (let h = 0; h < H; h++) {
      let x = 0;
      for (let i = 0; i < 8; i++) x |= ((acc[h * pw + i * uw + w]! >>> sh) & 1) << i;
      hd[h * ub + q] = x;
    }
  }
  for (let h = 0; h < H; h++) fmaBytes(hd, h * ub, yb, 0, u, alphaPow(h));
  for (let h = 0; h < H; h++) hd[h * ub + qIndex[n + h]!]! ^= 1;
  return hd;
}

/**
 * Builds the plan that solves the system made of the LDPC and HDPC rows plus one LT row per entry of `isis`.
 * Returns null when A has rank < L (the received set is insufficient: wait for more symbols).
 */
export function buildPlan(p: SystematicParams, isis: Int32Array): Plan | null {
  const { H, L } = p;
  const { rowStart, rowCols } = binaryRows(p, isis);
  const nRows = p.S + isis.length;
  const ph = phase1(p, rowStart, rowCols, nRows);
  const { inact, used } = ph;
  const u = inact.length;
  const qIndex = new Int32Array(L).fill(-1);
  for (let q = 0; q < u; q++) qIndex[inact[q]!] = q;
  const uw = (u + 31) >>> 5;
  const { zc, passStart, passCols } = solveZ(ph, rowStart, rowCols, L, uw);

  // ---- Dense system on the inactive columns ----
  let nE = 0;
  for (let r = 0; r < nRows; r++) if (!used[r]) nE++;
  const extras = new Int32Array(nE);
  for (let r = 0, x = 0; r < nRows; r++) if (!used[r]) extras[x++] = r;
  const E = new Int32Array(nE * uw);
  for (let x = 0; x < nE; x++) {
    const r = extras[x]!;
    const dst = x * uw;
    for (let t = rowStart[r]!, e = rowStart[r + 1]!; t < e; t++) {
      const src = rowCols[t]! * uw;
      for (let w = 0; w < uw; w++) E[dst + w]! ^= zc[src + w]!;
    }
  }
  const dense = solveDense(p, E, nE, u, uw, zc, qIndex);
  if (!dense) return null;
  const { ops, isPiv, pivOf } = dense;
  let hdpcSlot = dense.usesHdpc ? nE : -1;

  // Keep only operations whose destination is a pivot slot; renumber slots compactly.
  const slotOf = new Int32Array(nE + H).fill(-1);
  const denseRows: number[] = [];
  for (let x = 0; x < nE; x++) {
    if (isPiv[x]) {
      slotOf[x] = denseRows.length;
      denseRows.push(extras[x]!);
    }
  }
  let slots = denseRows.length;
  if (hdpcSlot >= 0) {
    hdpcSlot = slots;
    for (let h = 0; h < H; h++) slotOf[nE + h] = slots++;
  }
  const kept: number[] = [];
  for (let t = 0; t < ops.length; t += 3) {
    const d = ops[t]!;
    if (!isPiv[d]) continue;
    const s = ops[t + 1]!;
    kept.push(slotOf[d]!, s < 0 ? -1 : slotOf[s]!, ops[t + 2]!);
  }
  const qSlot = new Int32Array(u);
  for (let q = 0; q < u; q++) qSlot[q] = slotOf[pivOf[q]!]!;
  const active = (c: number): boolean => qIndex[c]! < 0;
  const p1 = filterCsr(passStart, passCols, active);
  const dRows = Int32Array.from(denseRows);
  const dn = new Int32Array(dRows.length + 1);
  for (let x = 0; x < dRows.length; x++) dn[x + 1] = dn[x]! + rowStart[dRows[x]! + 1]! - rowStart[dRows[x]!]!;
  const dAll = new Int32Array(dn[dRows.length]!);
  for (let x = 0; x < dRows.length; x++)
    dAll.set(rowCols.subarray(rowStart[dRows[x]!]!, rowStart[dRows[x]! + 1]!), dn[x]!);
  const d1 = filterCsr(dn, dAll, active);
  return {
    p,
    rowStart,
    rowCols,
    pivRow: ph.pivRow.slice(0, ph.nPiv),
    pivCol: ph.pivCol.slice(0, ph.nPiv),
    passStart,
    passCols,
    pass1Start: p1.start,
    pass1Cols: p1.cols,
    denseStart: d1.start,
    denseCols: d1.cols,
    inact,
    qSlot,
    denseRows: dRows,
    hdpcSlot,
    slots,
    ops: Int32Array.from(kept),
    hdpcPairs: hdpcPairs(p),
  };
}

function filterCsr(
  start: Int32Array,
  cols: Int32Array,
  keep: (c: number) => boolean,
): { start: Int32Array; cols: Int32Array } {
  const n = start.length - 1;
  const s = new Int32Array(n + 1);
  const out = new Int32Array(cols.length);
  let m = 0;
  for (let k = 0; k < n; k++) {
    s[k] = m;
    for (let t = start[k]!; t < start[k + 1]!; t++) if (keep(cols[t]!)) out[m++] = cols[t]!;
  }
  s[n] = m;
  return { start: s, cols: out.slice(0, m) };
}

/**
 * Eliminates the dense system on the u inactive columns: the non-pivot binary rows (bit rows E, slots 0..nE−1)
 * in GF(2) first, then the HDPC rows (slots nE..nE+H−1) over GF(256) for the columns GF(2) left unsolved, then
 * back substitution. Records the symbol operations; null when the rank is below u.
 */
function solveDense(
  p: SystematicParams,
  E: Int32Array,
  nE: number,
  u: number,
  uw: number,
  zc: Int32Array,
  qIndex: Int32Array,
): { ops: number[]; isPiv: Uint8Array; pivOf: Int32Array; usesHdpc: boolean } | null {
  const H = p.H;
  const ops: number[] = [];
  const pivOf = new Int32Array(u).fill(-1); // slot solving column q
  const isPiv = new Uint8Array(nE + H);
  const binOrder = new Int32Array(u);
  let nb = 0;
  // Stage A: GF(2) forward elimination. A pivot row only has bits at columns ≥ its own.
  for (let q = 0; q < u; q++) {
    const w = q >>> 5;
    const bit = 1 << (q & 31);
    let pr = -1;
    for (let x = 0; x < nE; x++) {
      if (!isPiv[x] && E[x * uw + w]! & bit) {
        pr = x;
        break;
      }
    }
    if (pr < 0) continue;
    isPiv[pr] = 1;
    pivOf[q] = pr;
    binOrder[nb++] = q;
    const src = pr * uw;
    for (let x = pr + 1; x < nE; x++) {
      const dst = x * uw;
      if (!isPiv[x] && E[dst + w]! & bit) {
        for (let k = w; k < uw; k++) E[dst + k]! ^= E[src + k]!;
        ops.push(x, pr, 1);
      }
    }
  }
  const missing: number[] = [];
  for (let q = 0; q < u; q++) if (pivOf[q]! < 0) missing.push(q);
  const usesHdpc = missing.length > 0;
  if (usesHdpc) {
    if (missing.length > H) return null;
    const ub = (u + 3) & ~3;
    const hd = hdpcCoefficients(p, zc, uw, u, ub, qIndex);
    // Stage B: clear the binary pivot columns from the HDPC rows.
    for (let t = 0; t < nb; t++) {
      const q = binOrder[t]!;
      const pr = pivOf[q]!;
      const src = pr * uw;
      for (let h = 0; h < H; h++) {
        const beta = hd[h * ub + q]!;
        if (beta === 0) continue;
        const base = h * ub;
        for (let w = q >>> 5; w < uw; w++) {
          let bits = E[src + w]!;
          while (bits !== 0) {
            const low = bits & -bits;
            hd[base + (w << 5) + (31 - Math.clz32(low))]! ^= beta;
            bits ^= low;
          }
        }
        ops.push(nE + h, pr, beta);
      }
    }
    // Stage C: Gauss–Jordan over GF(256) on the HDPC rows, restricted to the missing columns.
    const hPiv = new Uint8Array(H);
    for (const q of missing) {
      let ph = -1;
      for (let h = 0; h < H; h++) {
        if (!hPiv[h] && hd[h * ub + q] !== 0) {
          ph = h;
          break;
        }
      }
      if (ph < 0) return null;
      hPiv[ph] = 1;
      isPiv[nE + ph] = 1;
      pivOf[q] = nE + ph;
      const pb = ph * ub;
      const v = hd[pb + q]!;
      if (v !== 1) {
        const inv = gfInv(v);
        for (const m of missing) hd[pb + m] = gfMul(hd[pb + m]!, inv);
        ops.push(nE + ph, -1, inv);
      }
      for (let h = 0; h < H; h++) {
        if (h === ph) continue;
        const beta = hd[h * ub + q]!;
        if (beta === 0) continue;
        for (const m of missing) hd[h * ub + m]! ^= gfMul(beta, hd[pb + m]!);
        ops.push(nE + h, nE + ph, beta);
      }
    }
  }
  // Back substitution of the binary pivots, last column first: each is its row minus the solved others.
  for (let t = nb - 1; t >= 0; t--) {
    const q = binOrder[t]!;
    const pr = pivOf[q]!;
    const src = pr * uw;
    for (let w = q >>> 5; w < uw; w++) {
      let bits = E[src + w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        const j = (w << 5) + (31 - Math.clz32(low));
        bits ^= low;
        if (j !== q) ops.push(pr, pivOf[j]!, 1);
      }
    }
  }
  return { ops, isPiv, pivOf, usesHdpc };
}

/**
 * Where the right-hand sides of the LT rows come from: the caller writes `slots` symbols into the kernels'
 * memory in one go, and LT row n (0-based among the plan's ISIs) reads slot `rowSlot[n]` (−1: zeros).
 */
export interface RowSource {
  readonly slots: number;
  readonly rowSlot: Int32Array;
  /** Writes the slots at `buf[base + i·stride ..)`; bytes of a slot past T may hold anything. */
  fill(buf: Uint8Array, base: number, stride: number): void;
}

/**
 * Runs `plan` on symbols of `stride` bytes (a multiple of 16) and returns the intermediate symbols,
 * C[j] at `[j·stride, (j+1)·stride)`. Uses the WebAssembly SIMD kernels when available. With `copy` false the
 * result is a view into the kernels' memory, valid only until the next call.
 */
export function executePlan(plan: Plan, stride: number, rows: RowSource, copy = true): Uint8Array {
  const { p, pivRow, pivCol, inact, qSlot, denseRows, ops } = plan;
  const { S, H, L, Kp } = p;
  // Memory layout after the multiplication tables: the plan's lists, then C, the dense slots, a scratch y
  // and the received (or source) symbols.
  let at = TABLES_BYTES;
  const take = (bytes: number): number => {
    const r = at;
    at += (bytes + 15) & ~15;
    return r;
  };
  const nPiv = pivRow.length;
  const nDense = denseRows.length;
  const pivColPtr = take(nPiv * 4);
  const pivSrc = take(nPiv * 4);
  const p1s = take(plan.pass1Start.length * 4);
  const p1c = take(plan.pass1Cols.length * 4);
  const p2s = take(plan.passStart.length * 4);
  const p2c = take(plan.passCols.length * 4);
  const ds = take(plan.denseStart.length * 4);
  const dc = take(plan.denseCols.length * 4);
  const ident = take(nDense * 4);
  const denseSrc = take(nDense * 4);
  const opsPtr = take(ops.length * 4);
  const pairsPtr = take(plan.hdpcPairs.length * 2);
  const cBase = take(L * stride);
  const dBase = take(plan.slots * stride);
  const yPtr = take(stride);
  const rBase = take(rows.slots * stride);
  let K = wasmKernelsOrNull();
  let u8 = K ? K.reserve(at) : null;
  if (!u8) {
    K = sharedJsKernels();
    u8 = K.reserve(at)!;
  }
  const kern = K!;
  const i32 = new Int32Array(u8.buffer, 0, at >>> 2);
  const slot = rows.rowSlot;
  i32.set(pivCol, pivColPtr >>> 2);
  for (let k = 0; k < nPiv; k++) i32[(pivSrc >>> 2) + k] = pivRow[k]! < S ? -1 : slot[pivRow[k]! - S]!;
  i32.set(plan.pass1Start, p1s >>> 2);
  i32.set(plan.pass1Cols, p1c >>> 2);
  i32.set(plan.passStart, p2s >>> 2);
  i32.set(plan.passCols, p2c >>> 2);
  i32.set(plan.denseStart, ds >>> 2);
  i32.set(plan.denseCols, dc >>> 2);
  for (let x = 0; x < nDense; x++) {
    i32[(ident >>> 2) + x] = x;
    i32[(denseSrc >>> 2) + x] = denseRows[x]! < S ? -1 : slot[denseRows[x]! - S]!;
  }
  i32.set(ops, opsPtr >>> 2);
  const pairs = plan.hdpcPairs;
  for (let j = 0; j < pairs.length; j++) {
    u8[pairsPtr + 2 * j] = pairs[j]! & 255;
    u8[pairsPtr + 2 * j + 1] = pairs[j]! >>> 8;
  }
  rows.fill(u8, rBase, stride);

  // Pass 1: inactive symbols = 0, forward substitution gives y.
  for (let q = 0; q < inact.length; q++)
    u8.fill(0, cBase + inact[q]! * stride, cBase + (inact[q]! + 1) * stride);
  kern.copyRows(nPiv, pivColPtr, cBase, pivSrc, rBase, stride);
  kern.xorLists(nPiv, pivColPtr, cBase, p1s, p1c, cBase, stride);
  // Residuals of the dense binary rows, then of the HDPC rows (MT·GAMMA recurrence).
  kern.copyRows(nDense, ident, dBase, denseSrc, rBase, stride);
  kern.xorLists(nDense, ident, dBase, ds, dc, cBase, stride);
  if (plan.hdpcSlot >= 0) {
    const hBase = dBase + plan.hdpcSlot * stride;
    u8.fill(0, hBase, yPtr + stride);
    kern.hdpc(Kp + S, pairsPtr, cBase, stride, hBase, yPtr);
    for (let h = 0; h < H; h++) kern.fma(hBase + h * stride, yPtr, stride, alphaPow(h));
  }
  kern.dense(opsPtr, ops.length / 3, dBase, stride);
  // Pass 2 with the true inactive symbols.
  for (let q = 0; q < inact.length; q++) {
    u8.copyWithin(cBase + inact[q]! * stride, dBase + qSlot[q]! * stride, dBase + (qSlot[q]! + 1) * stride);
  }
  kern.copyRows(nPiv, pivColPtr, cBase, pivSrc, rBase, stride);
  kern.xorLists(nPiv, pivColPtr, cBase, p2s, p2c, cBase, stride);
  return copy ? u8.slice(cBase, cBase + L * stride) : u8.subarray(cBase, cBase + L * stride);
}
