import { Type, type TProperties, type TSchema } from '@sinclair/typebox';

/** Short names for result schemas, which are long lists of wire fields. */
export const S = Type.String();
export const N = Type.Number();
export const B = Type.Boolean();
export const Obj = <T extends TProperties>(props: T) => Type.Object(props);
/** The cloud's list wrapper: `{Key: [...]}`, always an array, even for one element or none. */
export const Wrap = <K extends string, T extends TSchema>(key: K, item: T) =>
  Type.Object({ [key]: Type.Array(item) } as { [P in K]: ReturnType<typeof Type.Array<T>> });
