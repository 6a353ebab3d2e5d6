import fc from 'fast-check';

// Any failing property prints its seed; FC_SEED=<n> replays it, FC_NUM_RUNS scales the runs.
const seed =
  process.env.FC_SEED === undefined
    ? Date.now() ^ (Math.random() * 0x100000000)
    : Number(process.env.FC_SEED);
fc.configureGlobal({ numRuns: Number(process.env.FC_NUM_RUNS ?? 100), seed });
