import {
  alphaPow,
  fmaBytes,
  gfInv,
  gfMul,
  OCT_EXP as OCT_EXP_T,
  OCT_LOG as OCT_LOG_T,
  scaleBytes,
} from './gf256.ts';
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

// Module-local copies of the GF tables for hot loops (see rand.ts).
const OCT_EXP = OCT_EXP_T;
const OCT_LOG = OCT_LOG_T;

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
  // LT rows have at most 30 + 3 entries; size generously and trim afterwards.
  const cap = nnz + isis.length * 33;
  let rowCols = new Int32Array(cap);
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
    rowStart[S + n] = at;
    at += encIndicesInto(p, isis[n]!, rowCols, at, t);
  }
  rowStart[nRows] = at;
  if (at < cap / 2) rowCols = rowCols.slice(0, at);
  return { rowStart, rowCols };
}

/**
 * Builds the plan that solves the system made of the LDPC and HDPC rows plus one LT row per entry of `isis`.
 * Returns null when A has rank < L (the received set is insufficient: wait for more symbols).
 */
export function buildPlan(p: SystematicParams, isis: Int32Array): Plan | null {
  const { S, H, W, L, Kp } = p;
  const { rowStart, rowCols } = binaryRows(p, isis);
  const nRows = S + isis.length;

  // ---- Phase 1: choose pivots on the binary rows (no row is modified) ----
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
  // Rows bucketed by their count of active columns in doubly linked lists (counts only go down).
  const head = new Int32Array(maxC + 1).fill(-1);
  const next = new Int32Array(nRows);
  const prev = new Int32Array(nRows);
  const used = new Uint8Array(nRows);
  const link = (r: number, c: number): void => {
    const h = head[c]!;
    next[r] = h;
    prev[r] = -1;
    if (h >= 0) prev[h] = r;
    head[c] = r;
  };
  const unlink = (r: number, c: number): void => {
    const nx = next[r]!;
    const pv = prev[r]!;
    if (pv >= 0) next[pv] = nx;
    else head[c] = nx;
    if (nx >= 0) prev[nx] = pv;
  };
  let minC = maxC + 1;
  for (let r = nRows - 1; r >= 0; r--) {
    const c = count[r]!;
    if (c > 0) {
      link(r, c);
      if (c < minC) minC = c;
    }
  }
  const pivRow = new Int32Array(L);
  const pivCol = new Int32Array(L);
  const inactList = new Int32Array(L);
  let u = 0;
  for (let c = W; c < L; c++) inactList[u++] = c;
  let i = 0;
  const deactivate = (c: number): void => {
    for (let t = colStart[c]!, e = colStart[c + 1]!; t < e; t++) {
      const r = colRows[t]!;
      if (used[r]) continue;
      const n = count[r]!;
      unlink(r, n);
      count[r] = n - 1;
      if (n > 1) {
        link(r, n - 1);
        if (n - 1 < minC) minC = n - 1;
      }
    }
  };
  // Union–find over columns for the r = 2 rule.
  const parent = new Int32Array(W).fill(-1);
  const size = new Int32Array(W);
  const touched: number[] = [];
  const find = (x: number): number => {
    while (parent[x]! !== x) {
      const g = parent[parent[x]!]!;
      parent[x] = g;
      x = g;
    }
    return x;
  };
  const pair = new Int32Array(2);
  const twoActive = (r: number): void => {
    let n = 0;
    for (let t = rowStart[r]!, e = rowStart[r + 1]!; t < e && n < 2; t++) {
      const c = rowCols[t]!;
      if (c < W && colState[c] === 0) pair[n++] = c;
    }
  };

  while (i + u < L) {
    while (minC <= maxC && head[minC]! < 0) minC++;
    if (minC > maxC) {
      // No row touches the remaining active columns: inactivate them; the dense phase decides the rank.
      for (let c = 0; c < W; c++) {
        if (colState[c] === 0) {
          colState[c] = 2;
          inactList[u++] = c;
        }
      }
      break;
    }
    let r = head[minC]!;
    if (minC === 2) {
      // RFC §5.4.2.2: pick a row inside a largest connected component of the graph whose edges are the
      // rows with two active ones (all binary rows here are 0/1).
      for (let q = head[2]!; q >= 0; q = next[q]!) {
        twoActive(q);
        for (let k = 0; k < 2; k++) {
          const c = pair[k]!;
          if (parent[c] === -1) {
            parent[c] = c;
            size[c] = 1;
            touched.push(c);
          }
        }
        const a = find(pair[0]!);
        const b = find(pair[1]!);
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
      for (let q = head[2]!; q >= 0; q = next[q]!) {
        twoActive(q);
        const s = size[find(pair[0]!)]!;
        if (s > best) {
          best = s;
          r = q;
        }
      }
      for (const c of touched) parent[c] = -1;
      touched.length = 0;
    } else if (minC > 2) {
      // Tie-break on the original degree (RFC §5.4.2.2): fewest non-PI columns in the original row.
      let best = 1 << 30;
      for (let q = head[minC]!; q >= 0; q = next[q]!) {
        let d = 0;
        for (let t = rowStart[q]!, e = rowStart[q + 1]!; t < e; t++) if (rowCols[t]! < W) d++;
        if (d < best) {
          best = d;
          r = q;
        }
      }
    }
    unlink(r, minC);
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
        inactList[u++] = c;
      }
    }
    pivRow[i] = r;
    pivCol[i] = piv;
    i++;
    // Deactivate after marking, so each row's count drops once per column it loses.
    deactivate(piv);
    for (let q = u0; q < u; q++) deactivate(inactList[q]!);
  }
  // The columns just inactivated above were deactivated with their rows; those inactivated by the
  // "no row left" branch touch no unused row with a non-zero count, so nothing else needs updating.

  // ---- Z = T⁻¹·Q as bit rows over the u inactive columns, one per column ----
  const inact = inactList.slice(0, u);
  const qIndex = new Int32Array(L).fill(-1);
  for (let q = 0; q < u; q++) qIndex[inact[q]!] = q;
  const uw = (u + 31) >>> 5;
  const zc = new Int32Array(L * uw);
  for (let q = 0; q < u; q++) zc[inact[q]! * uw + (q >>> 5)]! |= 1 << (q & 31);
  let passN = 0;
  for (let k = 0; k < i; k++) passN += rowStart[pivRow[k]! + 1]! - rowStart[pivRow[k]!]! - 1;
  const passStart = new Int32Array(i + 1);
  const passCols = new Int32Array(passN);
  let pn = 0;
  for (let k = 0; k < i; k++) {
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
  passStart[i] = pn;

  // ---- Dense system on the inactive columns ----
  const extras: number[] = [];
  for (let r = 0; r < nRows; r++) if (!used[r]) extras.push(r);
  const nE = extras.length;
  const E = new Int32Array(nE * uw);
  for (let x = 0; x < nE; x++) {
    const r = extras[x]!;
    const dst = x * uw;
    for (let t = rowStart[r]!, e = rowStart[r + 1]!; t < e; t++) {
      const src = rowCols[t]! * uw;
      for (let w = 0; w < uw; w++) E[dst + w]! ^= zc[src + w]!;
    }
  }
  // Stage A: GF(2) forward elimination among the non-pivot binary rows. Slots: extras are 0..nE−1,
  // HDPC rows nE..nE+H−1 (renumbered compactly at the end).
  const ops: number[] = [];
  const pivOf = new Int32Array(u).fill(-1); // slot solving column q
  const isPiv = new Uint8Array(nE + H);
  const binOrder: number[] = []; // binary pivot columns in order
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
    binOrder.push(q);
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
  let hdpcSlot = -1;
  if (missing.length > 0) {
    if (missing.length > H) return null;
    hdpcSlot = nE;
    // HDPC coefficients on the inactive columns: G_HDPC·Z (+ the identity on the HDPC columns), with
    // G_HDPC = MT·GAMMA evaluated right to left as y_j = α·y_{j−1} + v_j, row h += Σ MT[h][j]·y_j.
    const pairs = hdpcPairs(p);
    const ub = (u + 3) & ~3;
    const hd = new Uint8Array(H * ub);
    const y = new Uint8Array(ub);
    const n = Kp + S;
    for (let j = 0; j < n; j++) {
      for (let q = 0; q < u; q++) {
        const v = y[q]!;
        y[q] = v === 0 ? 0 : OCT_EXP[OCT_LOG[v]! + 1]!;
      }
      const src = j * uw;
      for (let w = 0; w < uw; w++) {
        let bits = zc[src + w]!;
        while (bits !== 0) {
          const low = bits & -bits;
          y[(w << 5) + (31 - Math.clz32(low))]! ^= 1;
          bits ^= low;
        }
      }
      if (j < n - 1) {
        const pr = pairs[j]!;
        const a = (pr & 255) * ub;
        const b = (pr >>> 8) * ub;
        for (let q = 0; q < u; q++) {
          const v = y[q]!;
          hd[a + q]! ^= v;
          hd[b + q]! ^= v;
        }
      } else {
        for (let h = 0; h < H; h++) fmaBytes(hd, h * ub, y, 0, u, alphaPow(h));
      }
    }
    for (let h = 0; h < H; h++) hd[h * ub + qIndex[n + h]!]! ^= 1;
    // Stage B: clear the binary pivot columns from the HDPC rows.
    for (const q of binOrder) {
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
  // Back substitution of the binary pivots, last column first: each is now its row minus the solved others.
  for (let t = binOrder.length - 1; t >= 0; t--) {
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
    const d = slotOf[ops[t]!]!;
    if (d < 0 || !isPiv[ops[t]!]) continue;
    const s = ops[t + 1]!;
    kept.push(d, s < 0 ? -1 : slotOf[s]!, ops[t + 2]!);
  }
  const qSlot = new Int32Array(u);
  for (let q = 0; q < u; q++) qSlot[q] = slotOf[pivOf[q]!]!;
  return {
    p,
    rowStart,
    rowCols,
    pivRow: pivRow.slice(0, i),
    pivCol: pivCol.slice(0, i),
    passStart,
    passCols,
    inact,
    qSlot,
    denseRows: Int32Array.from(denseRows),
    hdpcSlot,
    slots,
    ops: Int32Array.from(kept),
    hdpcPairs: hdpcPairs(p),
  };
}

/**
 * Writes the right-hand side of binary row `n` (an LT row, 0-based among the ISIs of the plan) into
 * `ws[off..off+stride)`: a received or source symbol, or zeros for padding ISIs.
 */
export type FetchSymbol = (n: number, ws: Uint8Array, off: number) => void;

/**
 * Runs `plan` on symbols of `stride` bytes (a multiple of 4): fills `ws` (see {@link workspaceSize}) so that
 * intermediate symbol C[j] is at `ws[j·stride ..)`.
 */
export function executePlan(plan: Plan, ws: Uint8Array, stride: number, fetch: FetchSymbol): void {
  const { p, pivRow, pivCol, passStart, passCols, inact, qSlot, denseRows, rowStart, rowCols, ops } = plan;
  const { S, H, L, Kp } = p;
  const w32 = new Int32Array(ws.buffer, ws.byteOffset, ws.byteLength >>> 2);
  const sw = stride >>> 2;
  const dBase = L * stride; // first dense slot
  const dBaseW = L * sw;

  // Pass 1: inactive symbols = 0, forward substitution gives y.
  for (let q = 0; q < inact.length; q++) ws.fill(0, inact[q]! * stride, (inact[q]! + 1) * stride);
  substitute(plan, ws, w32, stride, fetch);

  // Residuals of the dense rows.
  for (let s = 0; s < denseRows.length; s++) {
    const r = denseRows[s]!;
    const off = dBase + s * stride;
    if (r < S) ws.fill(0, off, off + stride);
    else fetch(r - S, ws, off);
    const dw = dBaseW + s * sw;
    for (let t = rowStart[r]!, e = rowStart[r + 1]!; t < e; t++) {
      const sc = rowCols[t]! * sw;
      for (let k = 0; k < sw; k++) w32[dw + k]! ^= w32[sc + k]!;
    }
  }
  if (plan.hdpcSlot >= 0) {
    const hw = dBaseW + plan.hdpcSlot * sw;
    ws.fill(0, dBase + plan.hdpcSlot * stride, dBase + (plan.hdpcSlot + H + 1) * stride);
    const yw = hw + H * sw; // scratch symbol after the H HDPC slots
    const n = Kp + S;
    const pairs = plan.hdpcPairs;
    for (let j = 0; j < n - 1; j++) {
      const pr = pairs[j]!;
      const aw = hw + (pr & 255) * sw;
      const bw = hw + (pr >>> 8) * sw;
      const cw = j * sw;
      for (let k = 0; k < sw; k++) {
        const v = w32[yw + k]!;
        const y = ((v & 0x7f7f7f7f) << 1) ^ (((v >>> 7) & 0x01010101) * 0x1d) ^ w32[cw + k]!;
        w32[yw + k] = y;
        w32[aw + k]! ^= y;
        w32[bw + k]! ^= y;
      }
    }
    {
      const cw = (n - 1) * sw;
      for (let k = 0; k < sw; k++) {
        const v = w32[yw + k]!;
        w32[yw + k] = ((v & 0x7f7f7f7f) << 1) ^ (((v >>> 7) & 0x01010101) * 0x1d) ^ w32[cw + k]!;
      }
      for (let h = 0; h < H; h++) fmaBytes(ws, (hw + h * sw) << 2, ws, yw << 2, stride, alphaPow(h));
    }
  }
  // Dense elimination.
  for (let t = 0; t < ops.length; t += 3) {
    const d = ops[t]!;
    const s = ops[t + 1]!;
    const beta = ops[t + 2]!;
    if (s < 0) scaleBytes(ws, dBase + d * stride, stride, beta);
    else if (beta === 1) {
      const dw = dBaseW + d * sw;
      const sw0 = dBaseW + s * sw;
      for (let k = 0; k < sw; k++) w32[dw + k]! ^= w32[sw0 + k]!;
    } else fmaBytes(ws, dBase + d * stride, ws, dBase + s * stride, stride, beta);
  }
  // Pass 2 with the true inactive symbols.
  for (let q = 0; q < inact.length; q++)
    ws.copyWithin(inact[q]! * stride, dBase + qSlot[q]! * stride, dBase + (qSlot[q]! + 1) * stride);
  substitute(plan, ws, w32, stride, fetch);
  void pivRow;
  void pivCol;
  void passStart;
  void passCols;
}

function substitute(plan: Plan, ws: Uint8Array, w32: Int32Array, stride: number, fetch: FetchSymbol): void {
  const { pivRow, pivCol, passStart, passCols } = plan;
  const S = plan.p.S;
  const sw = stride >>> 2;
  for (let k = 0; k < pivRow.length; k++) {
    const r = pivRow[k]!;
    const c = pivCol[k]!;
    const off = c * stride;
    if (r < S) ws.fill(0, off, off + stride);
    else fetch(r - S, ws, off);
    const dw = c * sw;
    for (let t = passStart[k]!, e = passStart[k + 1]!; t < e; t++) {
      const sc = passCols[t]! * sw;
      for (let j = 0; j < sw; j++) w32[dw + j]! ^= w32[sc + j]!;
    }
  }
}

/** Bytes of workspace {@link executePlan} needs for `plan` at `stride`. */
export function workspaceSize(plan: Plan, stride: number): number {
  return (plan.p.L + plan.slots + 1) * stride;
}
