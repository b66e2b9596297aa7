import { EipErrors } from '../errors/vpc/eips.ts';

/**
 * What an EIP's attributes may be, as AllocateEipAddress and ModifyEipAddressAttribute take them
 * ([VPC-SDK] AllocateEipAddressRequest and ModifyEipAddressAttributeRequest remarks; [DOCS-EIP]).
 */

/** Mbit/s an EIP gets when AllocateEipAddress names no Bandwidth. */
export const DEFAULT_EIP_BANDWIDTH = 5;

/** The highest Bandwidth of a pay-as-you-go EIP, by metering method: 1 to 200 Mbit/s by traffic, 1 to 500 by bandwidth. */
export function maxEipBandwidth(internetChargeType: string): number {
  return internetChargeType === 'PayByTraffic' ? 200 : 500;
}

/** A Bandwidth parameter: a whole number of Mbit/s within the range of the EIP's metering method. */
export function parseEipBandwidth(text: string, internetChargeType: string): number {
  if (!/^\d+$/.test(text)) throw EipErrors.bandwidthInvalid('It must be a whole number of Mbit/s.');
  const value = Number(text);
  const max = maxEipBandwidth(internetChargeType);
  if (value < 1 || value > max) throw EipErrors.bandwidthInvalid(`With ${internetChargeType} it must be between 1 and ${max} Mbit/s.`);
  return value;
}

const URL_START = /^https?:\/\//i;

/** An EIP Name: 0 to 128 characters, not starting with http:// or https:// (current SDK remarks; empty clears it). */
export function checkEipName(name: string | undefined): void {
  if (name !== undefined && (name.length > 128 || URL_START.test(name))) throw EipErrors.nameMalformed();
}

/** An EIP Description: 0 to 256 characters, not starting with http:// or https:// (current SDK remarks; empty clears it). */
export function checkEipDescription(description: string | undefined): void {
  if (description !== undefined && (description.length > 256 || URL_START.test(description))) throw EipErrors.descriptionMalformed();
}
