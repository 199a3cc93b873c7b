export { Recorder, type RecorderEvents, type RecorderOptions, type RecorderProgress } from './recorder.js';
export { readRecording, type RecordedSnapshot, type Recording } from './reader.js';
export { RECORDING_FORMAT, RECORDING_VERSION } from './format.js';
export type { EndLine, RatesLine, RecordingHeader, RecordingLine, ResidencyLine, SnapshotLine, TargetsLine } from './format.js';
