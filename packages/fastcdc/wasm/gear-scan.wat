;; FastCDC gear-hash scan for @syncwire/fastcdc (see rfcs/0003-fastcdc.md). Built into src/gear-wasm.generated.ts
;; by scripts/build-wasm.mjs. One-byte-at-a-time formulation: h = (h << 1) + GEAR[b], judged with mask_s before
;; `mid` and mask_l from it; the full 64-bit hash is kept, so no splitting tricks are needed here.
;;
;; Memory layout: bytes [0, 2048) hold the (seeded) GEAR table as 256 little-endian u64; input windows are copied
;; to addresses >= 4096 by the host. The host reads and writes the hash state through the exported global `h`.
(module
  (memory (export "memory") 17)
  (global $h (export "h") (mut i64) (i64.const 0))
  (global $ms (export "maskS") (mut i64) (i64.const 0))
  (global $ml (export "maskL") (mut i64) (i64.const 0))

  ;; Hashes memory[i .. stop), mask_s below `mid`, mask_l from `mid`. Returns the address of the first byte whose
  ;; hash matches, or -1; either way the hash after the last hashed byte is left in global `h`.
  (func (export "scan") (param $i i32) (param $mid i32) (param $stop i32) (result i32)
    (local $h i64) (local $m i64) (local $bound i32) (local $end8 i32)
    (local.set $h (global.get $h))
    (local.set $m (global.get $ms))
    (local.set $bound
      (select (local.get $mid) (local.get $stop) (i32.lt_u (local.get $mid) (local.get $stop))))
    (block $done
      (loop $phase
        ;; 4 bytes per iteration while at least 4 remain (fewer loop branches), then one at a time.
        (local.set $end8 (i32.sub (local.get $bound) (i32.const 3)))
        (block $tail
          (br_if $tail (i32.ge_s (local.get $i) (local.get $end8)))
          (loop $quad
            (local.set $h (i64.add (i64.shl (local.get $h) (i64.const 1))
              (i64.load (i32.shl (i32.load8_u (local.get $i)) (i32.const 3)))))
            (if (i64.eqz (i64.and (local.get $h) (local.get $m)))
              (then (global.set $h (local.get $h)) (return (local.get $i))))
            (local.set $h (i64.add (i64.shl (local.get $h) (i64.const 1))
              (i64.load (i32.shl (i32.load8_u offset=1 (local.get $i)) (i32.const 3)))))
            (if (i64.eqz (i64.and (local.get $h) (local.get $m)))
              (then (global.set $h (local.get $h)) (return (i32.add (local.get $i) (i32.const 1)))))
            (local.set $h (i64.add (i64.shl (local.get $h) (i64.const 1))
              (i64.load (i32.shl (i32.load8_u offset=2 (local.get $i)) (i32.const 3)))))
            (if (i64.eqz (i64.and (local.get $h) (local.get $m)))
              (then (global.set $h (local.get $h)) (return (i32.add (local.get $i) (i32.const 2)))))
            (local.set $h (i64.add (i64.shl (local.get $h) (i64.const 1))
              (i64.load (i32.shl (i32.load8_u offset=3 (local.get $i)) (i32.const 3)))))
            (if (i64.eqz (i64.and (local.get $h) (local.get $m)))
              (then (global.set $h (local.get $h)) (return (i32.add (local.get $i) (i32.const 3)))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br_if $quad (i32.lt_s (local.get $i) (local.get $end8)))))
        (block $end
          (br_if $end (i32.ge_u (local.get $i) (local.get $bound)))
          (loop $byte
            (local.set $h (i64.add (i64.shl (local.get $h) (i64.const 1))
              (i64.load (i32.shl (i32.load8_u (local.get $i)) (i32.const 3)))))
            (if (i64.eqz (i64.and (local.get $h) (local.get $m)))
              (then (global.set $h (local.get $h)) (return (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $byte (i32.lt_u (local.get $i) (local.get $bound)))))
        ;; Phase 1 done: switch to mask_l up to `stop` (or finish when phase 1 already ran to `stop`).
        (br_if $done (i32.eq (local.get $bound) (local.get $stop)))
        (local.set $m (global.get $ml))
        (local.set $bound (local.get $stop))
        (br $phase)))
    (global.set $h (local.get $h))
    (i32.const -1))
)
