/**
 * Arrays of an object from `js_preload_object` belong to another VM: Array.isArray
 * holds, but they lack this VM's Array.prototype methods. A copy has them.
 */
export function ownArray(array: unknown[]): unknown[] {
  return Array.prototype.slice.call(array);
}
