import { inSet, type RegexNode, type UnitSet } from './regex-parse.ts'

/**
 * A parsed pattern as a Thompson NFA, run by keeping the set of states it can be in after each code unit: the time is
 * at most (text length + 1) × states whatever the pattern and the text, where a backtracking engine can take
 * exponential time ("^(a+)+$" against "aaaa…b"). Only whether the pattern matches somewhere is asked (RegExp#test),
 * so greedy and lazy are the same and no capture is kept.
 */

type State =
  | { k: 'unit'; sets: UnitSet[]; negated: boolean; out: number }
  | { k: 'split'; out: number; alt: number }
  | { k: 'assert'; kind: '^' | '$' | 'b' | 'B'; out: number }
  | { k: 'match' }

export interface Program {
  states: State[]
  start: number
}

export class TooManyStates extends Error {}

/** Compiles to at most `maxStates` states (each {n,m} copies what it repeats), else TooManyStates. */
export function compile(node: RegexNode, maxStates: number): Program {
  const states: State[] = [{ k: 'match' }]
  const push = (s: State): number => {
    if (states.length >= maxStates) throw new TooManyStates(`more than ${maxStates} states`)
    return states.push(s) - 1
  }
  // Each node is compiled in front of what follows it (`next`), so the program is built from the end backwards.
  const build = (n: RegexNode, next: number): number => {
    switch (n.t) {
      case 'unit':
        return push({ k: 'unit', sets: n.sets, negated: n.negated, out: next })
      case 'assert':
        return push({ k: 'assert', kind: n.kind, out: next })
      case 'seq':
        return n.items.reduceRight((after, item) => build(item, after), next)
      case 'alt':
        return n.items.map((item) => build(item, next)).reduceRight((rest, first) => push({ k: 'split', out: first, alt: rest }))
      case 'repeat': {
        let entry = next
        if (n.max === Infinity) {
          const loop = push({ k: 'split', out: -1, alt: next })
          ;(states[loop] as { out: number }).out = build(n.node, loop)
          entry = loop
        } else {
          for (let i = n.min; i < n.max; i++) entry = push({ k: 'split', out: build(n.node, entry), alt: next })
        }
        for (let i = 0; i < n.min; i++) entry = build(n.node, entry)
        return entry
      }
    }
  }
  return { states, start: build(node, 0) }
}

const isWord = (text: string, i: number): boolean => {
  if (i < 0 || i >= text.length) return false
  const c = text.charCodeAt(i)
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || (c >= 0x61 && c <= 0x7a)
}

/** Whether the program matches anywhere in `text`: RegExp#test, without flags. `work.steps` counts states visited. */
export function runTest(program: Program, text: string, work?: { steps: number }): boolean {
  const { states, start } = program
  // seen[s] is the position whose set already holds s (positions are 0…length, so length + 1 never clashes).
  const seen = new Int32Array(states.length).fill(-1)
  let current: number[] = []
  let following: number[] = []
  const stack: number[] = []
  /** Adds s and every state reachable from it without reading, at position `at`; true on reaching the match state. */
  const add = (list: number[], s0: number, at: number): boolean => {
    stack.push(s0)
    while (stack.length) {
      const s = stack.pop()!
      if (seen[s] === at) continue
      seen[s] = at
      if (work) work.steps++
      const st = states[s]!
      switch (st.k) {
        case 'match':
          stack.length = 0
          return true
        case 'unit':
          list.push(s)
          break
        case 'split':
          stack.push(st.alt, st.out)
          break
        case 'assert': {
          const holds = st.kind === '^' ? at === 0 : st.kind === '$' ? at === text.length : (isWord(text, at - 1) !== isWord(text, at)) === (st.kind === 'b')
          if (holds) stack.push(st.out)
          break
        }
      }
    }
    return false
  }
  for (let at = 0; ; at++) {
    // A match may start at any position (test is unanchored): the start joins the states carried over.
    if (add(current, start, at)) return true
    if (at === text.length) return false
    const code = text.charCodeAt(at)
    following.length = 0
    for (const s of current) {
      const st = states[s] as Extract<State, { k: 'unit' }>
      let hit = false
      for (const set of st.sets) if ((hit = inSet(set, code))) break
      if (hit !== st.negated && add(following, st.out, at + 1)) return true
    }
    ;[current, following] = [following, current]
  }
}
