// Opens N concurrent streaming chat completions against URL and reads them to the end.
// Prints: streams ok errors events seconds
//   node bench/stream_load.mjs URL MODEL N
const [url, model, n] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const body = JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'bench' }] });
let ok = 0, errors = 0, events = 0;
const t0 = Date.now();
await Promise.all(Array.from({ length: n }, async () => {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let done = false;
    for await (const chunk of res.body) {
      const text = decoder.decode(chunk, { stream: true });
      events += text.split('\n\n').length - 1;
      if (text.includes('[DONE]')) done = true;
    }
    if (!done) throw new Error('no [DONE]');
    ok++;
  } catch {
    errors++;
  }
}));
console.log(`streams ${n} ok ${ok} errors ${errors} events ${events} seconds ${((Date.now() - t0) / 1000).toFixed(1)}`);
