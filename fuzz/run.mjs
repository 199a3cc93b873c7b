#!/usr/bin/env node
// npm run fuzz -- [--seconds N] [harness ...]
// Builds every libFuzzer harness of this folder with clang (-fsanitize=fuzzer,address,undefined)
// and runs each for N seconds (default 30) from its committed seed corpus (fuzz/corpus/<name>/),
// growing a scratch corpus under build-fuzz/. Exits non-zero when a harness crashes (the
// crashing input is kept as build-fuzz/crashes/<name>-crash-*) or cannot be built.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'build-fuzz');
// The parsers under test; each harness links them all (unused objects cost nothing).
const parserSources = [
  ...readdirSync(path.join(root, 'native/platform/linux/procfs'))
    .filter((f) => f.endsWith('.cc'))
    .map((f) => `native/platform/linux/procfs/${f}`),
  'native/platform/linux/probe/thp_settings.cc',
  'native/sources/kernel_damon/linux/sysfs_dir.cc',
  'native/core/tlbsim/trace_reader.cc',
];
const compiler = process.env.CXX_FUZZ ?? 'clang++';
const common = ['-std=c++17', '-g', '-O1', '-fno-omit-frame-pointer', '-fno-sanitize-recover=all', `-I${root}`, `-I${path.join(root, 'native')}`];

function parseArgs(argv) {
  let seconds = 30;
  const only = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seconds') {
      seconds = Number(argv[++i]);
      if (!Number.isInteger(seconds) || seconds < 1) fail(`--seconds must be a whole number of seconds >= 1, got ${argv[i]}`);
    } else {
      only.push(argv[i]);
    }
  }
  return { seconds, only };
}

function fail(message) {
  console.error(`fuzz: ${message}`);
  process.exit(1);
}

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.error) fail(`${command} could not run (${r.error.message}); install clang and libfuzzer (see CONTRIBUTING.md)`);
  if (r.status !== 0) fail(`${command} ${args.slice(-3).join(' ')} failed (exit ${r.status})`);
}

function buildObjects() {
  mkdirSync(path.join(out, 'obj'), { recursive: true });
  return parserSources.map((source) => {
    const object = path.join(out, 'obj', source.replace(/[/.]/g, '_') + '.o');
    run(compiler, [...common, '-fsanitize=fuzzer-no-link,address,undefined', '-c', source, '-o', object]);
    return object;
  });
}

function buildHarness(name, objects) {
  const binary = path.join(out, name);
  run(compiler, [...common, '-fsanitize=fuzzer,address,undefined', `fuzz/${name}.cc`, ...objects, '-o', binary]);
  return binary;
}

// Runs one harness; returns its executions and final corpus size from libFuzzer's statistics.
function fuzz(name, binary, seconds) {
  const scratch = path.join(out, 'corpus', name);
  const crashes = path.join(out, 'crashes');
  mkdirSync(scratch, { recursive: true });
  mkdirSync(crashes, { recursive: true });
  const seeds = path.join(root, 'fuzz/corpus', name);
  if (!existsSync(seeds)) fail(`${name} has no seed corpus at fuzz/corpus/${name}`);
  const r = spawnSync(binary, [`-max_total_time=${seconds}`, '-timeout=10', '-rss_limit_mb=2048', '-max_len=16384', '-print_final_stats=1', `-artifact_prefix=${crashes}/${name}-`, scratch, seeds], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1' },
  });
  const stat = (key) => Number(new RegExp(`stat::${key}:\\s+(\\d+)`).exec(r.stderr)?.[1] ?? NaN);
  const result = {
    name,
    status: r.status,
    executions: stat('number_of_executed_units'),
    corpus: readdirSync(scratch).length,
    seeds: readdirSync(seeds).length,
  };
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    console.error(`fuzz: ${name} crashed (exit ${r.status}); the input is in build-fuzz/crashes/`);
  }
  return result;
}

const { seconds, only } = parseArgs(process.argv.slice(2));
const harnesses = readdirSync(path.join(root, 'fuzz'))
  .filter((f) => f.endsWith('.cc'))
  .map((f) => f.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name));
if (harnesses.length === 0) fail(`no harness matches ${only.join(' ')}`);
try {
  execFileSync(compiler, ['--version'], { stdio: 'ignore' });
} catch {
  fail(`${compiler} is not installed: apt-get install clang libfuzzer-14-dev (CONTRIBUTING.md)`);
}

const objects = buildObjects();
const results = harnesses.map((name) => fuzz(name, buildHarness(name, objects), seconds));
console.table(results);
const crashed = results.filter((r) => r.status !== 0);
if (crashed.length > 0) fail(`${crashed.map((r) => r.name).join(', ')} crashed`);
console.log(`fuzz: ${results.length} harnesses ran ${seconds} s each without a crash`);
