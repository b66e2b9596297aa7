/** DescribeRegions / DescribeZones (ECS flavour). */
export const ecsRegionActions = [];
