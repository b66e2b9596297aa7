import { describeAvailableResource } from './describe-available-resource.ts';
import { describeImages } from './describe-images.ts';
import { describeInstanceTypeFamilies } from './describe-instance-type-families.ts';
import { describeInstanceTypes } from './describe-instance-types.ts';

/** Read-only catalog actions (ECS): instance types, their families, public images, what each zone can create. */
export const catalogActions = [describeInstanceTypes, describeInstanceTypeFamilies, describeImages, describeAvailableResource];
