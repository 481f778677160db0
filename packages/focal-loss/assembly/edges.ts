// The edge list every kernel writes: indices (of vectors or rows) the JS side redoes with
// the float64 core. Each kernel call starts it empty; edges() gives its length afterwards.
import { E } from './layout';

let edgeCount: i32 = 0;

/** Edges recorded by the last kernel call. */
export function edges(): i32 {
  return edgeCount;
}

@inline export function clearEdges(): void {
  edgeCount = 0;
}

@inline export function addEdge(index: i32): void {
  store<i32>(E + edgeCount * 4, index);
  edgeCount++;
}
