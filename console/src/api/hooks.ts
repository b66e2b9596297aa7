import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { consoleApi, type ActionDeclaration, type ConsoleApiError, type ParamSchema, type Product } from './client.ts';
import { useSession } from '../session.tsx';

/** Reads an action's answer; the query key holds the region and parameters, so a change refetches. */
export function useAction<T = Record<string, unknown>>(
  product: Product,
  action: string,
  params: Record<string, unknown>,
  options: Omit<UseQueryOptions<T & { RequestId: string }, ConsoleApiError>, 'queryKey' | 'queryFn'> = {},
) {
  const { region } = useSession();
  return useQuery<T & { RequestId: string }, ConsoleApiError>({
    queryKey: ['call', region, product, action, params],
    queryFn: () => consoleApi.call<T>(product, action, params, region),
    ...options,
  });
}

/** Runs an action that changes something; every read is refetched after it succeeds. */
export function useActionMutation<T = Record<string, unknown>>(product: Product, action: string) {
  const { region } = useSession();
  const client = useQueryClient();
  return useMutation<T & { RequestId: string }, ConsoleApiError, Record<string, unknown>>({
    mutationFn: (params) => consoleApi.call<T>(product, action, params, region),
    onSettled: () => client.invalidateQueries(),
  });
}

/** A console view (src/console/views), refetched like an action's answer. */
export function useView<T>(name: string, params: Record<string, unknown>, options: Omit<UseQueryOptions<T, ConsoleApiError>, 'queryKey' | 'queryFn'> = {}) {
  const { region } = useSession();
  return useQuery<T, ConsoleApiError>({
    queryKey: ['view', region, name, params],
    queryFn: () => consoleApi.view<T>(name, { RegionId: region, ...params }),
    ...options,
  });
}

/** The declarations of `names` ("Ecs:CreateNetworkInterface"): parameter names and limits come from here. */
export function useDeclarations(names: readonly string[]) {
  return useQuery<Record<string, ActionDeclaration>, ConsoleApiError>({
    queryKey: ['actions', names],
    queryFn: async () => Object.fromEntries((await consoleApi.actions(names)).Actions.map((a) => [`${a.Product}:${a.Name}`, a])),
    staleTime: Infinity,
  });
}

/** One parameter's schema, unwrapping TypeBox's Optional/Union shapes. */
export function paramSchema(declaration: ActionDeclaration | undefined, name: string): ParamSchema | undefined {
  const schema = declaration?.Params.properties?.[name];
  if (!schema) return undefined;
  return schema.anyOf?.find((s) => s.type !== 'null') ?? schema;
}
