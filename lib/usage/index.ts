export { hugepageUsage, type HugepageUsage, type HugepageUsageOptions, type UsageScope } from './hugepage-usage.js';
