// The package's runtime surface, pinned: a new export is a decision (README and CHANGELOG),
// not a side effect of `export *` from a module that grew an internal helper.
import { describe, expect, it } from 'vitest';
import * as api from '../../lib/index.js';

const PUBLIC = [
  'ADVICE', 'AccessMonitor', 'AccessSource', 'BusyError', 'FormatError', 'HugepageTuner', 'InvalidArgumentError', 'KernelDamonSource', 'MonitorFailedError',
  'NoSuchProcessError', 'NotMappedError', 'NotSupportedError', 'PAGE_SIZES', 'PagemapSource', 'PatternSource', 'PermissionDeniedError', 'ProcessReplacedError',
  'SimulatedSource', 'SystemCallError', 'TUNER_CHANNELS', 'ThpError', 'TlbSimulator', 'addressOf', 'allocAligned', 'allocAlignedSegments', 'capabilities', 'collapse',
  'formatBytes', 'hugepageUsage', 'loadTunerConfig', 'madvise', 'nativeAvailable', 'pageGeometry', 'pagemapLowOverhead',
  'parseBytes', 'parseMaps', 'parseMeminfo', 'parseMemoryPressure', 'parseSmaps', 'parseSmapsRollup', 'parseTunerConfig',
  'parseVmstat', 'pinProcess', 'predictSpeedup', 'presetConfig', 'presetNames', 'processStartTime', 'readMaps', 'readMeminfo',
  'readMemoryPressure', 'readSmaps', 'readSmapsRollup', 'readVmstat', 'residency', 'timeRandomReads',
];

describe('public exports', () => {
  it('are exactly the documented surface', () => {
    expect(Object.keys(api).sort()).toEqual([...PUBLIC].sort());
  });

  it('leave the internals out', () => {
    for (const internal of ['normalizeTunerOptions', 'defaultOptions', 'SYNC_RUN_LIMIT', 'resolveMachine', 'durationToUs', 'PID_MAX_LIMIT', 'runTlbDemo']) {
      expect(api).not.toHaveProperty(internal);
    }
  });
});
