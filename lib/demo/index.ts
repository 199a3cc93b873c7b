export { DEFAULT_DEMO_BYTES, defaultDemoBytes, runTlbDemo, type DemoOptions, type DemoResult } from './tlb-demo.js';
