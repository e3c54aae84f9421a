// Awaits a promise that must fail with a RegistryError, and returns the error.
import { RegistryError } from '../../lib/registry/errors';

export async function caught(promise: Promise<unknown>): Promise<RegistryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected a RegistryError');
}
