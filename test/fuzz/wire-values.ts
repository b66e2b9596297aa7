import fc from 'fast-check';

/**
 * Values a client may put on the wire by mistake or on purpose, whatever the parameter: the
 * building blocks of the generators in schema-params.ts, signature-inputs.ts and metadata-paths.ts.
 */

/** Characters that break naive code: NUL, controls, RTL override, combining marks, astral and BOM, quotes and separators. */
export const TRICKY_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\t\r\n',
  '\u202Eeni-evil',
  '\u200F\u200E',
  'e\u0301\u0301\u0301',
  '\u{1F600}',
  '\u{10FFFF}',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\uFEFF',
  '\uFFFD',
  '\uD800',
  '\uDFFF\uD800',
  'İı',
  'ﬃ',
  '١٢٣',
  '１２３',
  '"\'`<>&;',
  '%',
  '%00',
  '%zz',
  '+',
  '&=',
  '..',
  '../../etc/passwd',
  '\\',
  '{"a":1}',
  '[',
  'null',
  'undefined',
  'NaN',
  '__proto__',
  'constructor',
  'toString',
  '${x}',
  "'; drop table vpcs; --",
  '<script>alert(1)</script>',
];

/** Lengths at and around the limits real parameters have (64, 128, 256, 1,024), and far past them (16 KiB, 64 KiB). */
const LONG_LENGTHS = [63, 64, 65, 127, 128, 129, 255, 256, 257, 1023, 1024, 1025];
const HUGE_LENGTHS = [16_385, 65_537];

/** A long string: one repeated character (possibly multi-byte) or a repeated pattern; huge ones now and then. */
export const longText: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...LONG_LENGTHS) }, { weight: 1, arbitrary: fc.constantFrom(...HUGE_LENGTHS) }),
    fc.constantFrom('a', 'é', '\u{1F600}', 'ab\u0000', '%', '.'),
  )
  .map(([n, unit]) => unit.repeat(n));

/** Any text: tricky constants, random Unicode (astral and lone surrogates included), ASCII, long runs. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY_TEXT) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 16 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 24 }) },
  { weight: 1, arbitrary: longText },
);

/** Numbers as a client might spell them, right or wrong. */
export const numberText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -5, max: 100 }).map(String),
  fc.constantFrom(
    '0',
    '-0',
    '-1',
    '+1',
    '1.5',
    '1e3',
    '1E-2',
    '0x10',
    '0b1',
    '010',
    ' 7 ',
    '7 ',
    '١',
    '１',
    'NaN',
    'Infinity',
    '-Infinity',
    '2147483648',
    '4294967296',
    '9007199254740993',
    '99999999999999999999999999',
    '-99999999999999999999999999',
    '1_000',
    '',
  ),
  fc.integer().map(String),
  fc.double().map(String),
);

/** Booleans as clients spell them, and not. */
export const booleanText: fc.Arbitrary<string> = fc.constantFrom('true', 'false', 'True', 'FALSE', ' true ', '1', '0', 'yes', 'on', '', 'null', 'tru');

/**
 * The `N` of a repeated parameter (`PrivateIpAddress.N`): mostly small and in order, otherwise
 * zero, negative, huge, leading zeros, exponent, blank or not a number at all.
 */
export const oddIndex: fc.Arbitrary<string> = fc.constantFrom(
  '0',
  '-1',
  '00',
  '01',
  '1e3',
  '1.0',
  '+1',
  ' 1',
  '',
  'x',
  '999999999',
  '4294967297',
  '9007199254740993',
  '99999999999999999999999999999',
  '١',
  'N',
);

/** Parameter names no action declares, some of them names that mean something elsewhere. */
export const unknownName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'Bogus',
    'Tag.1.Bogus',
    'Tag.1',
    'Tag',
    'Tag.1.Key.1',
    'PrivateIpAddress.1.Foo',
    'RegionId.1',
    '',
    '.',
    '..1',
    'Tag..Key',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    'prototype',
    'Signature',
    'Action',
    'Version',
    'Format',
    'OwnerId',
    'ResourceOwnerAccount',
    'SecurityToken',
    'regionid',
    'REGIONID',
    'x'.repeat(2048),
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
);
