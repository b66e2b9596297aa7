/** TagResources / UnTagResources / ListTagResources (VPC flavour). */
export const vpcTagActions = [];
