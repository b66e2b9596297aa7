import { describeRegions } from './describe-regions.ts';
import { describeZones } from './describe-zones.ts';

/** DescribeRegions / DescribeZones (ECS flavour). */
export const ecsRegionActions = [describeRegions, describeZones];
