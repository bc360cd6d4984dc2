// Revue's search page: runs the form's query against the Pagefind index the build
// writes to pagefind/ on the same site (no server, no third-party script).
// The form is a plain GET form: its fields are read from, and written back to, the URL.
//
// The index is split into bundles of consecutive dates (revue/search.py), listed newest
// first in pagefind/shards.json: the first listed is merged as lot 0, and so on, each
// bundle marked with its lot by a filter of the browser's own (Pagefind's mergeFilter).
// Pagefind ranks the merged results by relevance itself, but sorts by date within each
// bundle only, so a search sorted by date takes the bundles one after the other.

const PAGE_SIZE = 10;
const NNBSP = "\u202f";

const form = document.getElementById("recherche");
const status = document.getElementById("statut");
const list = document.getElementById("resultats");
const more = document.getElementById("plus");
const fields = ["q", "theme", "media", "tri"];

let loading = null;
let lots = 1;
let pending = null;
let generation = 0;
let timer = 0;

// French typography for the text the index keeps as written (revue/markdown.py does the
// same for the pages): apostrophe, ellipsis, no-break spaces before ; ! ? : and in « ».
function typo(text) {
  return text
    .replace(/(\p{L})'(?=\p{L})/gu, "$1\u2019")
    .replace(/(?<!\.)\.\.\.(?!\.)/g, "\u2026")
    .replace(/«[ \u00a0]*/g, `«${NNBSP}`)
    .replace(/[ \u00a0]*»/g, `${NNBSP}»`)
    .replace(/(?<=\S)[ \u00a0]*([;!?]+)(?=\s|$)/g, `${NNBSP}$1`)
    .replace(/(?<=\S)[ \u00a0]+:(?=\s|$)/g, "\u00a0:");
}

function say(text) {
  status.textContent = text;
}

function quoted(text) {
  return `«${NNBSP}${text}${NNBSP}»`;
}

// The form's state, and the URL that keeps it.
function readForm() {
  const state = {};
  for (const name of fields) state[name] = form.elements[name].value.trim();
  return state;
}

function fillForm(params) {
  for (const name of fields) {
    const value = params.get(name);
    if (value === null) continue;
    const field = form.elements[name];
    field.value = value;
    if (field.value !== value) field.value = ""; // an option that does not exist
  }
}

function keepInUrl(state) {
  const params = new URLSearchParams();
  for (const name of fields) if (state[name]) params.set(name, state[name]);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

// Pagefind with every bundle merged, loaded once (on the first search, or as soon as the
// query field has the focus).
function load() {
  loading ??= (async () => {
    const script = new URL(form.dataset.pagefind, document.baseURI);
    const list = new URL("shards.json", script);
    const [module, bundles] = await Promise.all([
      import(script.href),
      fetch(list, { cache: "no-cache" }).then((response) => response.json()),
    ]);
    lots = bundles.length;
    // The bundle at pagefind/ itself (listed as "") holds the oldest dates: the last lot.
    await module.options({ excerptLength: 32, mergeFilter: { lot: String(lots - 1) } });
    module.init();
    await Promise.all(
      bundles.slice(0, -1).map((folder, lot) =>
        module.mergeIndex(new URL(folder, script).pathname, {
          excerptLength: 32,
          mergeFilter: { lot: String(lot) },
        }),
      ),
    );
    return module;
  })();
  return loading;
}

// The results still to show, in order: `take(n)` gives the next n of them.
function inOrder(results) {
  return {
    get left() {
      return results.length;
    },
    take: async (count) => results.splice(0, count),
  };
}

// The results of a search sorted by date, one bundle after the other (newest dates first
// when descending), each bundle searched when its results are about to be shown; `counts`
// are the results of each lot.
function lotByLot(term, options, counts, total) {
  const order = [...Array(lots).keys()].filter((lot) => counts[String(lot)] > 0);
  if (options.sort.date === "asc") order.reverse();
  const buffer = [];
  const queue = {
    left: total,
    take: async (count) => {
      while (buffer.length < count && order.length > 0) {
        const lot = String(order.shift());
        const filters = { ...options.filters, lot };
        buffer.push(...(await (await load()).search(term, { ...options, filters })).results);
      }
      const batch = buffer.splice(0, count);
      queue.left -= batch.length;
      return batch;
    },
  };
  return queue;
}

// A result: title linking to the article's page, outlet, French date, excerpt with the
// matched words marked. The excerpt is built from text nodes only: Pagefind's <mark>
// tags are the one markup kept.
function excerptNodes(excerpt) {
  const nodes = [];
  excerpt.split(/(<mark>.*?<\/mark>)/s).forEach((part) => {
    if (!part) return;
    const marked = part.match(/^<mark>(.*)<\/mark>$/s);
    if (marked) {
      const mark = document.createElement("mark");
      mark.textContent = typo(marked[1]);
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(typo(part)));
    }
  });
  return nodes;
}

function resultItem(data) {
  const item = document.createElement("li");
  const article = document.createElement("article");
  article.className = "entry search-result";
  const heading = document.createElement("h2");
  heading.className = "entry-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = typo(data.meta.title);
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "entry-meta";
  const outlet = document.createElement("span");
  outlet.className = "outlet";
  outlet.textContent = typo(data.meta.media);
  const time = document.createElement("time");
  time.dateTime = data.meta.datetime;
  time.textContent = data.meta.date;
  meta.append(outlet, " · ", time);
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  excerpt.append("… ", ...excerptNodes(data.excerpt), " …");
  article.append(heading, meta, excerpt);
  item.append(article);
  return item;
}

async function showMore(current) {
  const batch = await pending.take(PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (current !== generation) return;
  list.append(...data.map(resultItem));
  more.hidden = pending.left === 0;
}

function summary(count, state) {
  const about = state.q ? ` pour ${quoted(state.q)}` : "";
  if (count === 0) return `Aucun article trouvé${about}.`;
  return `${count} article${count > 1 ? "s" : ""} trouvé${count > 1 ? "s" : ""}${about}.`;
}

async function run() {
  const current = ++generation;
  const state = readForm();
  keepInUrl(state);
  const filters = {};
  if (state.theme) filters.theme = state.theme;
  if (state.media) filters.media = state.media;
  if (!state.q && !state.theme && !state.media) {
    list.replaceChildren();
    more.hidden = true;
    say("");
    return;
  }
  const options = { filters };
  if (state.tri === "recent" || (!state.q && state.tri !== "ancien")) {
    options.sort = { date: "desc" };
  } else if (state.tri === "ancien") {
    options.sort = { date: "asc" };
  }
  say("Recherche en cours…");
  const term = state.q || null;
  let search;
  try {
    search = await (await load()).search(term, options);
  } catch (error) {
    say("La recherche n’a pas pu être chargée : ouvrez la revue depuis son adresse web.");
    throw error;
  }
  if (current !== generation || search === null) return;
  const total = search.results.length;
  pending =
    options.sort && lots > 1
      ? lotByLot(term, options, search.filters.lot ?? {}, total)
      : inOrder([...search.results]);
  list.replaceChildren();
  await showMore(current);
  if (current === generation) say(summary(total, state));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run();
});
form.elements.q.addEventListener("focus", () => load().catch(() => {}), { once: true });
form.elements.q.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(run, 250);
});
for (const name of ["theme", "media", "tri"]) {
  form.elements[name].addEventListener("change", () => run());
}
more.addEventListener("click", () => showMore(generation));

fillForm(new URLSearchParams(location.search));
run();
