import { createInstance } from './create-instance.ts';
import { describeInstances } from './describe-instances.ts';
import { deleteInstanceAction } from './delete-instance.ts';
import { rebootInstanceAction } from './reboot-instance.ts';
import { startInstanceAction } from './start-instance.ts';
import { stopInstanceAction } from './stop-instance.ts';
import { runInstances } from './run-instances.ts';

/** Instance actions (ECS). */
export const instanceActions = [runInstances, createInstance, startInstanceAction, stopInstanceAction, rebootInstanceAction, deleteInstanceAction, describeInstances];
