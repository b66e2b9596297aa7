/**
 * Pure checks of RunInstances / CreateInstance inputs that the cloud validates and eniplane
 * acts upon (ECS API reference, RunInstances and CreateInstance parameter tables).
 */

/** Specials the cloud accepts in a password: ()`~!@#$%^&*-_+=|{}[]:;'<>,.?/ */
const PASSWORD_SPECIALS = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/";

/**
 * Password: 8 to 30 characters from letters, digits and the specials above, with at least three
 * of the four kinds; on Windows it cannot start with "/".
 */
export function isValidInstancePassword(password: string, osType: string): boolean {
  if (password.length < 8 || password.length > 30) return false;
  let kinds = 0;
  if (/[a-z]/.test(password)) kinds++;
  if (/[A-Z]/.test(password)) kinds++;
  if (/[0-9]/.test(password)) kinds++;
  if ([...password].some((c) => PASSWORD_SPECIALS.includes(c))) kinds++;
  if (![...password].every((c) => /[A-Za-z0-9]/.test(c) || PASSWORD_SPECIALS.includes(c))) return false;
  if (osType === 'windows' && password.startsWith('/')) return false;
  return kinds >= 3;
}

/** UserData: Base64, at most 32 KB before encoding. */
export const USER_DATA_MAX_BYTES = 32 * 1024;

export function userDataProblem(userData: string): 'format' | 'size' | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(userData) || userData.length % 4 !== 0) return 'format';
  if (Buffer.from(userData, 'base64').length > USER_DATA_MAX_BYTES) return 'size';
  return null;
}

/** KeyPairName: 2 to 128 characters, starting with a letter; letters, digits, ".", "_", "-" and ":" (CreateKeyPair's rule). */
export function isValidKeyPairName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9._:-]{1,127}$/.test(name) && !/^(https?):\/\//.test(name);
}

/** The system disk categories RunInstances accepts. */
export const SYSTEM_DISK_CATEGORIES = ['cloud_efficiency', 'cloud_ssd', 'cloud_essd', 'cloud', 'cloud_auto', 'cloud_essd_entry'] as const;

/** System disk size: 20 to 2,048 GiB, and at least the image's size; the default is max(40, image size). */
export const SYSTEM_DISK_MIN_GIB = 20;
export const SYSTEM_DISK_MAX_GIB = 2048;
export function defaultSystemDiskSize(imageSizeGib: number): number {
  return Math.max(40, imageSizeGib);
}
