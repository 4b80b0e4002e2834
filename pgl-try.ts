import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
const t0 = Date.now()
const db = await PGlite.create({ extensions: { vector } })
console.log('init', Date.now() - t0)
await db.exec('create extension if not exists vector')
console.log((await db.query("select '[1,2,3]'::vector <-> '[1,2,4]'::vector as d")).rows)
const t1 = Date.now()
const dump = await db.dumpDataDir('none')
console.log('dump', Date.now() - t1, dump.size)
const t2 = Date.now()
const db2 = await PGlite.create({ extensions: { vector }, loadDataDir: dump })
console.log('load', Date.now() - t2)
console.log((await db2.query("select 1 as x")).rows)
