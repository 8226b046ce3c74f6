// The oldest pg 8.x, installed under an alias for the tests; it has the same API as `pg`.
declare module 'pg-v8-0' {
  import pg from 'pg';
  export default pg;
}
