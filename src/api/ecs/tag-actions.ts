/** TagResources / UntagResources / ListTagResources (ECS flavour). */
export const ecsTagActions = [];
