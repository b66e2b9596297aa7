/** Security group actions (ECS). */
export const securityGroupActions = [];
