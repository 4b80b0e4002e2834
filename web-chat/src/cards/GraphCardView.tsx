import { useState } from 'react'
import type { GraphCard } from '../../../bots/cards.ts'

const NODE_WIDTH = 180
const NODE_HEIGHT = 34
const COLUMN_GAP = 60
const ROW_GAP = 14

/** Columns by distance from the root, rows in the order reached: a readable layered drawing, made in the page. */
function layout(card: GraphCard) {
  const columns = new Map<number, string[]>()
  for (const node of card.nodes) columns.set(node.depth, [...(columns.get(node.depth) ?? []), node.ref])
  const position = new Map<string, { x: number; y: number }>()
  for (const [depth, refs] of columns) refs.forEach((ref, row) => position.set(ref, { x: depth * (NODE_WIDTH + COLUMN_GAP), y: row * (NODE_HEIGHT + ROW_GAP) }))
  const width = (Math.max(...columns.keys()) + 1) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP
  const height = Math.max(...[...columns.values()].map((refs) => refs.length)) * (NODE_HEIGHT + ROW_GAP) - ROW_GAP
  return { position, width, height }
}

function Drawing({ card, scale, onAsk }: { card: GraphCard; scale: number; onAsk?: (question: string) => void }) {
  const { position, width, height } = layout(card)
  const pad = 8
  return (
    <svg className="graph" role="img" aria-label={card.title} viewBox={`${-pad} ${-pad} ${width + 2 * pad} ${height + 2 * pad}`} width={(width + 2 * pad) * scale} height={(height + 2 * pad) * scale}>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#8a94a6" />
        </marker>
      </defs>
      {card.edges.map((edge) => {
        const from = position.get(edge.from)
        const to = position.get(edge.to)
        if (!from || !to) return null
        const leftToRight = from.x <= to.x
        const x1 = leftToRight ? from.x + NODE_WIDTH : from.x
        const x2 = leftToRight ? to.x : to.x + NODE_WIDTH
        return <line key={`${edge.from}>${edge.to}`} x1={x1} y1={from.y + NODE_HEIGHT / 2} x2={x2} y2={to.y + NODE_HEIGHT / 2} stroke="#8a94a6" markerEnd="url(#arrow)"><title>{edge.relation}</title></line>
      })}
      {card.nodes.map((node) => {
        const at = position.get(node.ref)!
        return (
          <g key={node.ref} transform={`translate(${at.x} ${at.y})`} className={`node ${node.entityKind}${node.depth === 0 ? ' root' : ''}`} onClick={onAsk ? () => onAsk(`tell me about ${node.ref}`) : undefined} data-ref={node.ref}>
            <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx={6} />
            <text x={10} y={21}>
              {node.title.length > 22 ? `${node.title.slice(0, 21)}…` : node.title}
            </text>
            <title>{node.ref}</title>
          </g>
        )
      })}
    </svg>
  )
}

/** A dependency graph: a small drawing in the thread, and the whole graph when opened. */
export function GraphCardView({ card, onAsk }: { card: GraphCard; onAsk: (question: string) => void }) {
  const [open, setOpen] = useState(false)
  return (
    <section className="card graph-card" data-testid="graph-card">
      <header>
        <span className="kind">Dependency graph</span>
        <h3>{card.title}</h3>
        <span className="count">{card.nodes.length - 1} entities</span>
      </header>
      <div className="graph-preview">
        <Drawing card={card} scale={0.5} />
      </div>
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Open graph
      </button>
      {open ? (
        <div className="overlay" role="dialog" aria-label={card.title} data-testid="graph-dialog" onClick={() => setOpen(false)}>
          <div className="dialog" onClick={(event) => event.stopPropagation()}>
            <header>
              <h3>{card.title}</h3>
              <button type="button" className="secondary" onClick={() => setOpen(false)}>
                Close
              </button>
            </header>
            <p className="note">Arrows point from what needs to what is needed. Click an entity to ask about it.</p>
            <div className="graph-full">
              <Drawing
                card={card}
                scale={1}
                onAsk={(question) => {
                  setOpen(false)
                  onAsk(question)
                }}
              />
            </div>
          </div>
        </div>
      ) : null}
    </section>
  )
}
