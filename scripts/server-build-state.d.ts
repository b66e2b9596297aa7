/** The compiled CLI's entry when dist/server is newer than every file of src/; undefined when missing or stale. */
export function freshCompiledEntry(): string | undefined;
