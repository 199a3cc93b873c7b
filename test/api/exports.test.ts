// The package's runtime surface, pinned: a new export is a decision (README and CHANGELOG),
// not a side effect of `export *` from a module that grew an internal helper.
import { describe, expect, it } from 'vitest';
import * as api from '../../lib/index.js';

const PUBLIC = [
  'AccessMonitor',
  'accessReport',
  'AccessSource',
  'addressOf',
  'ADVICE',
  'advise',
  'allocAligned',
  'allocAlignedSegments',
  'BusyError',
  'calibrate',
  'capabilities',
  'collapse',
  'formatAccessReport',
  'formatAdvice',
  'formatBytes',
  'FormatError',
  'formatHugeReport',
  'formatWssReport',
  'heatGrid',
  'heatmapSvg',
  'HugepageTuner',
  'hugepageUsage',
  'hugeReport',
  'InvalidArgumentError',
  'KernelDamonSource',
  'loadTunerConfig',
  'madvise',
  'MODEL_DEFAULTS',
  'MonitorFailedError',
  'nativeAvailable',
  'NoSuchProcessError',
  'NotMappedError',
  'NotSupportedError',
  'PAGE_SIZES',
  'pageGeometry',
  'pagemapLowOverhead',
  'PagemapSource',
  'parseBytes',
  'parseMaps',
  'parseMeminfo',
  'parseMemoryPressure',
  'parseSmaps',
  'parseSmapsRollup',
  'parseTunerConfig',
  'parseVmstat',
  'PatternSource',
  'PermissionDeniedError',
  'pinProcess',
  'predictSpeedup',
  'presetConfig',
  'presetNames',
  'ProcessReplacedError',
  'processStartTime',
  'readMaps',
  'readMeminfo',
  'readMemoryPressure',
  'readRecording',
  'readSmaps',
  'readSmapsRollup',
  'readVmstat',
  'Recorder',
  'RECORDING_FORMAT',
  'RECORDING_VERSION',
  'ReferencedSource',
  'residency',
  'SimulatedSource',
  'svgToPng',
  'SystemCallError',
  'terminalHeatmap',
  'ThpError',
  'timeRandomReads',
  'TlbSimulator',
  'TUNER_CHANNELS',
  'wssReport',
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
