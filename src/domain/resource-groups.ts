import { createHash } from 'node:crypto';
import type { Random } from '../lib/random.ts';

/**
 * Resource groups (ResourceManager, Version 2020-03-31). Every account has a default group, which
 * every resource created without a ResourceGroupId belongs to and reports, as on the cloud.
 *
 * Real group IDs are `rg-` + 15 lower-case alphanumerics beginning with the account-wide `acfm`
 * or `aek` (ResourceManager samples: `rg-acfmzw2jz2z****`, `rg-aek2kqofrgnt***`); unlike regional
 * IDs they carry no region prefix, since a group spans every region.
 */
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const BODY_PREFIX = 'acfm';
const BODY_LENGTH = 15;

/** What a ResourceGroupId must look like to name a group at all (`rg-` then lower-case alphanumerics). */
export const RESOURCE_GROUP_ID_PATTERN = /^rg-[a-z0-9]{1,64}$/;

export const DEFAULT_RESOURCE_GROUP_NAME = 'default';
export const DEFAULT_RESOURCE_GROUP_DISPLAY_NAME = 'default resource group';

/**
 * The default group's ID, derived from the account ID: the account's creation and migration 0010
 * (for accounts that existed before groups) both produce it without coordination, and every replica
 * agrees on it.
 */
export function defaultResourceGroupId(accountId: string): string {
  const digest = createHash('sha256').update(`eniplane-default-resource-group:${accountId}`).digest();
  let body = BODY_PREFIX;
  for (let i = 0; body.length < BODY_LENGTH; i++) body += ALNUM[digest[i]! % ALNUM.length];
  return `rg-${body}`;
}

export function newResourceGroupId(random: Random): string {
  return `rg-${BODY_PREFIX}${random.chars(ALNUM, BODY_LENGTH - BODY_PREFIX.length)}`;
}

/**
 * ResourceManager's CreateResourceGroup rules: Name 3–50 characters of lower-case letters, digits
 * and hyphens, starting with a letter or digit, unique in the account; DisplayName 1–50 characters.
 */
export const RESOURCE_GROUP_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{2,49}$/;
