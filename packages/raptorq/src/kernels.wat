;; Symbol kernels of @syncwire/raptorq in WebAssembly SIMD. Built by scripts/build-wasm.mjs into
;; src/kernels.generated.ts. Every pointer is a byte offset in the exported memory; every symbol length
;; (stride) is a multiple of 16. Multiplication tables for β·x live at offset 0: for each β, 16 bytes of
;; β·lo-nibble products then 16 bytes of β·(hi-nibble << 4) products (32 bytes per β, 8 KiB in all).
(module
  (memory (export "memory") 1)

  ;; d[0..n) ^= s[0..n)
  (func $xor (export "xor") (param $d i32) (param $s i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $d) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $d) (local.get $end)))
        (v128.store (local.get $d) (v128.xor (v128.load (local.get $d)) (v128.load (local.get $s))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (br $next))))

;; For k < n: symbol dstBase + idx[k]·stride ^= every symbol srcBase + cols[t]·stride, t in [start[k], start[k+1]).
  ;; The destination is walked 64 bytes at a time with all its sources XORed into four registers, so it is read
  ;; and written once per row instead of once per source.
  (func (export "xorLists") (param $n i32) (param $idx i32) (param $dstBase i32) (param $start i32)
    (param $cols i32) (param $srcBase i32) (param $stride i32)
    (local $k i32) (local $t i32) (local $t0 i32) (local $e i32) (local $d i32) (local $o i32) (local $a i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $big i32)
    (local.set $big (i32.and (local.get $stride) (i32.const -64)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $d (i32.add (local.get $dstBase)
          (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $k) (i32.const 2)))) (local.get $stride))))
        (local.set $t0 (i32.load (i32.add (local.get $start) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $e (i32.load offset=4 (i32.add (local.get $start) (i32.shl (local.get $k) (i32.const 2)))))
        (if (i32.lt_u (local.get $t0) (local.get $e))
          (then
            ;; 64-byte chunks
            (local.set $o (i32.const 0))
            (block $bigDone
              (loop $chunk
                (br_if $bigDone (i32.ge_u (local.get $o) (local.get $big)))
                (local.set $a (i32.add (local.get $d) (local.get $o)))
                (local.set $v0 (v128.load (local.get $a)))
                (local.set $v1 (v128.load offset=16 (local.get $a)))
                (local.set $v2 (v128.load offset=32 (local.get $a)))
                (local.set $v3 (v128.load offset=48 (local.get $a)))
                (local.set $t (local.get $t0))
                (block $srcDone
                  (loop $src
                    (br_if $srcDone (i32.ge_u (local.get $t) (local.get $e)))
                    (local.set $a (i32.add (i32.add (local.get $srcBase) (local.get $o))
                      (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $t) (i32.const 2)))) (local.get $stride))))
                    (local.set $v0 (v128.xor (local.get $v0) (v128.load (local.get $a))))
                    (local.set $v1 (v128.xor (local.get $v1) (v128.load offset=16 (local.get $a))))
                    (local.set $v2 (v128.xor (local.get $v2) (v128.load offset=32 (local.get $a))))
                    (local.set $v3 (v128.xor (local.get $v3) (v128.load offset=48 (local.get $a))))
                    (local.set $t (i32.add (local.get $t) (i32.const 1)))
                    (br $src)))
                (local.set $a (i32.add (local.get $d) (local.get $o)))
                (v128.store (local.get $a) (local.get $v0))
                (v128.store offset=16 (local.get $a) (local.get $v1))
                (v128.store offset=32 (local.get $a) (local.get $v2))
                (v128.store offset=48 (local.get $a) (local.get $v3))
                (local.set $o (i32.add (local.get $o) (i32.const 64)))
                (br $chunk)))
            ;; remaining 16-byte lanes
            (block $tailDone
              (loop $lane
                (br_if $tailDone (i32.ge_u (local.get $o) (local.get $stride)))
                (local.set $v0 (v128.load (i32.add (local.get $d) (local.get $o))))
                (local.set $t (local.get $t0))
                (block $srcDone2
                  (loop $src2
                    (br_if $srcDone2 (i32.ge_u (local.get $t) (local.get $e)))
                    (local.set $v0 (v128.xor (local.get $v0) (v128.load (i32.add (i32.add (local.get $srcBase) (local.get $o))
                      (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $t) (i32.const 2)))) (local.get $stride))))))
                    (local.set $t (i32.add (local.get $t) (i32.const 1)))
                    (br $src2)))
                (v128.store (i32.add (local.get $d) (local.get $o)) (local.get $v0))
                (local.set $o (i32.add (local.get $o) (i32.const 16)))
                (br $lane)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $row))))

    ;; For k < n: symbol dstBase + dst[k]·stride = symbol srcBase + src[k]·stride, or zeros when src[k] < 0.
  (func (export "copyRows") (param $n i32) (param $dst i32) (param $dstBase i32) (param $src i32)
    (param $srcBase i32) (param $stride i32)
    (local $k i32) (local $d i32) (local $s i32)
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $d (i32.add (local.get $dstBase)
          (i32.mul (i32.load (i32.add (local.get $dst) (i32.shl (local.get $k) (i32.const 2)))) (local.get $stride))))
        (local.set $s (i32.load (i32.add (local.get $src) (i32.shl (local.get $k) (i32.const 2)))))
        (if (i32.lt_s (local.get $s) (i32.const 0))
          (then (memory.fill (local.get $d) (i32.const 0) (local.get $stride)))
          (else (memory.copy (local.get $d)
            (i32.add (local.get $srcBase) (i32.mul (local.get $s) (local.get $stride))) (local.get $stride))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $row))))

  ;; HDPC residuals (RFC 6330 §5.3.3.3, MT·GAMMA left to right): for j < n: y = α·y ⊕ C[j]; then
  ;; H[pairs[j] & 255] ^= y and H[pairs[j] >> 8] ^= y (u16 pairs), for j < n−1 only.
  (func (export "hdpc") (param $n i32) (param $pairs i32) (param $cBase i32) (param $stride i32)
    (param $hBase i32) (param $y i32)
    (local $j i32) (local $o i32) (local $a i32) (local $b i32) (local $c i32) (local $pr i32) (local $v v128)
    (block $done
      (loop $col
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $c (i32.add (local.get $cBase) (i32.mul (local.get $j) (local.get $stride))))
        (local.set $pr (i32.load16_u (i32.add (local.get $pairs) (i32.shl (local.get $j) (i32.const 1)))))
        (local.set $a (i32.add (local.get $hBase) (i32.mul (i32.and (local.get $pr) (i32.const 255)) (local.get $stride))))
        (local.set $b (i32.add (local.get $hBase) (i32.mul (i32.shr_u (local.get $pr) (i32.const 8)) (local.get $stride))))
        (local.set $o (i32.const 0))
        (block $symDone
          (loop $lane
            (br_if $symDone (i32.ge_u (local.get $o) (local.get $stride)))
            (local.set $v (v128.load (i32.add (local.get $y) (local.get $o))))
            ;; α·v: double every byte, reduce with 0x1d where the top bit fell off.
            (local.set $v
              (v128.xor
                (v128.xor (i8x16.add (local.get $v) (local.get $v))
                  (v128.and (i8x16.lt_s (local.get $v) (v128.const i32x4 0 0 0 0)) (i8x16.splat (i32.const 0x1d))))
                (v128.load (i32.add (local.get $c) (local.get $o)))))
            (v128.store (i32.add (local.get $y) (local.get $o)) (local.get $v))
            (if (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $n))
              (then
                (v128.store (i32.add (local.get $a) (local.get $o))
                  (v128.xor (v128.load (i32.add (local.get $a) (local.get $o))) (local.get $v)))
                (v128.store (i32.add (local.get $b) (local.get $o))
                  (v128.xor (v128.load (i32.add (local.get $b) (local.get $o))) (local.get $v)))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $lane)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $col))))

  ;; d[0..n) ^= β·s[0..n) with β's nibble tables at beta·32.
  (func $fma (export "fma") (param $d i32) (param $s i32) (param $n i32) (param $beta i32)
    (local $end i32) (local $lo v128) (local $hi v128) (local $x v128) (local $m v128)
    (local.set $lo (v128.load (i32.shl (local.get $beta) (i32.const 5))))
    (local.set $hi (v128.load offset=16 (i32.shl (local.get $beta) (i32.const 5))))
    (local.set $m (i8x16.splat (i32.const 15)))
    (local.set $end (i32.add (local.get $d) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $d) (local.get $end)))
        (local.set $x (v128.load (local.get $s)))
        (v128.store (local.get $d)
          (v128.xor (v128.load (local.get $d))
            (v128.xor
              (i8x16.swizzle (local.get $lo) (v128.and (local.get $x) (local.get $m)))
              (i8x16.swizzle (local.get $hi) (i8x16.shr_u (local.get $x) (i32.const 4))))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (br $next))))

  ;; d[0..n) = β·d[0..n)
  (func $scale (export "scale") (param $d i32) (param $n i32) (param $beta i32)
    (local $end i32) (local $lo v128) (local $hi v128) (local $x v128) (local $m v128)
    (local.set $lo (v128.load (i32.shl (local.get $beta) (i32.const 5))))
    (local.set $hi (v128.load offset=16 (i32.shl (local.get $beta) (i32.const 5))))
    (local.set $m (i8x16.splat (i32.const 15)))
    (local.set $end (i32.add (local.get $d) (local.get $n)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $d) (local.get $end)))
        (local.set $x (v128.load (local.get $d)))
        (v128.store (local.get $d)
          (v128.xor
            (i8x16.swizzle (local.get $lo) (v128.and (local.get $x) (local.get $m)))
            (i8x16.swizzle (local.get $hi) (i8x16.shr_u (local.get $x) (i32.const 4)))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (br $next))))

  ;; Dense operations, 3 × i32 each (dst, src, β) on symbols at base + slot·stride:
  ;; src < 0: dst = β·dst; β = 1: dst ^= src; else dst ^= β·src.
  (func (export "dense") (param $ops i32) (param $n i32) (param $base i32) (param $stride i32)
    (local $k i32) (local $p i32) (local $d i32) (local $s i32) (local $beta i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $p (i32.add (local.get $ops) (i32.mul (local.get $k) (i32.const 12))))
        (local.set $d (i32.add (local.get $base) (i32.mul (i32.load (local.get $p)) (local.get $stride))))
        (local.set $s (i32.load offset=4 (local.get $p)))
        (local.set $beta (i32.load offset=8 (local.get $p)))
        (if (i32.lt_s (local.get $s) (i32.const 0))
          (then (call $scale (local.get $d) (local.get $stride) (local.get $beta)))
          (else
            (local.set $s (i32.add (local.get $base) (i32.mul (local.get $s) (local.get $stride))))
            (if (i32.eq (local.get $beta) (i32.const 1))
              (then (call $xor (local.get $d) (local.get $s) (local.get $stride)))
              (else (call $fma (local.get $d) (local.get $s) (local.get $stride) (local.get $beta))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next))))
)
