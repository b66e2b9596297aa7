/** Every ECS action (Version 2014-05-26) eniplane implements. */
export const ecsActions = [];
