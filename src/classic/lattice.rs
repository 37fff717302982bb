//! A torus lattice of `width` x `height` cells, numbered row by row (`y * width + x`), and the
//! neighbourhoods the classic models look around in.
//!
//! A neighbourhood is stored twice, for the two ways the models use it:
//! - as row segments of the *closed* neighbourhood (centre included), for adding to a count
//!   field over every cell an agent can be seen from: each row is one contiguous run of a
//!   count field whose rows are padded with copies of their first cells (see
//!   [`Neighbourhood::field_len`]), which the compiler turns into vector adds;
//! - as a list of cell offsets of the *open* neighbourhood (centre excluded), for drawing a
//!   random cell and for listing the agents in vision.
//!
//! On a lattice smaller than the neighbourhood (`2 * vision + 1` above the width or height),
//! offsets that wrap onto the same cell are counted once, as Mesa's and NetLogo's own
//! neighbourhoods do.

use std::collections::BTreeMap;

/// A cell by its column and row (lattices are at most 65,535 cells wide and high).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Site {
    pub x: u16,
    pub y: u16,
}

/// The shape of a neighbourhood of radius `vision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Von Neumann: cells with |dx| + |dy| <= vision (Mesa's `get_neighborhood(radius)` on an
    /// orthogonal von Neumann grid).
    VonNeumann,
    /// A disc: cells whose centres lie within `vision` of the centre, dx² + dy² <= vision²
    /// (NetLogo's `patches in-radius vision`).
    Disc,
}

impl Shape {
    /// Half the width of the row `dy` rows from the centre (`dy <= vision`).
    fn half_width(self, vision: u32, dy: u32) -> u32 {
        match self {
            Shape::VonNeumann => vision - dy,
            Shape::Disc => {
                let room = u64::from(vision) * u64::from(vision) - u64::from(dy) * u64::from(dy);
                // The largest w with w² <= room, exactly (no floating point at the edge).
                let mut w = (room as f64).sqrt() as u64;
                while w * w > room {
                    w -= 1;
                }
                while (w + 1) * (w + 1) <= room {
                    w += 1;
                }
                w as u32
            }
        }
    }
}

/// One row of a closed neighbourhood: `dy` rows below the centre (modulo the height) and
/// `half` cells either side of the centre's column, or the whole row when `full`.
#[derive(Debug, Clone, Copy)]
struct Row {
    dy: u32,
    half: u32,
    full: bool,
}

/// A neighbourhood of one shape and radius on one torus.
#[derive(Debug, Clone)]
pub struct Neighbourhood {
    width: u32,
    height: u32,
    shape: Shape,
    vision: u32,
    rows: Vec<Row>,
    /// The open neighbourhood as offsets `(dx mod width, dy mod height)`, distinct.
    offsets: Vec<(u16, u16)>,
    /// `wrap_x[i] = i mod width` for `i < 2 * width`: the column of `x + dx` without a
    /// division or a branch.
    wrap_x: Vec<u16>,
    /// `wrap_y[i] = i mod height` for `i < 2 * height`.
    wrap_y: Vec<u16>,
    /// `row_start[i] = (i mod height) * width` for `i < 2 * height`: the number of the first
    /// cell of row `y + dy` without a multiplication.
    row_start: Vec<u32>,
    /// `2 * vision + 1` rounded up to a multiple of [`LANES`], or 0 on a lattice narrower
    /// than `2 * vision + 1`.
    window: usize,
    /// The closed neighbourhood as chunks of [`LANES`] words of a count field, the fewest
    /// that cover each row's span (one at the tips of a von Neumann diamond, two across its
    /// middle), empty where `window` is 0. Every centre updates every chunk with the same
    /// branch-free loop, which the compiler vectorises (see [`Neighbourhood::add`]).
    /// Ordered by row below the centre, so that the rows that wrap past the bottom edge come
    /// last.
    chunks: Vec<Chunk>,
    /// `unwrapped[y]`: how many of `chunks` lie in rows that do not wrap past the bottom edge
    /// from a centre in row `y` (the chunks of rows `dy < height - y`).
    unwrapped: Vec<u32>,
    /// Words per row of a count field: `width + window`, or `width + 1` where `window` is 0.
    /// Column `width + c` holds counts of column `c` that a window running past the right
    /// edge put there (the window of a centre less than `vision` from the left edge starts
    /// `width` columns to the right, so it never runs past the left edge); the last column
    /// is never written, so it reads 0.
    stride: usize,
    /// For each column `x`, the column of the count field that holds the rest of its count:
    /// `width + x` for the columns a window can reach past the right edge, else the last,
    /// never written, column.
    spill: Vec<u32>,
}

/// A centre on the lattice and a field of one word per cell, checked together once (see
/// [`Neighbourhood::around`]).
#[derive(Clone, Copy)]
pub struct Around<'a> {
    /// The open neighbourhood's offsets (see [`Neighbourhood::offsets`]).
    offsets: &'a [(u16, u16)],
    /// `wrap_x[x..]` for the centre's column x: the column `dx` cells right of it at
    /// `columns[dx]`, for any dx below the width, without adding x at every look.
    columns: &'a [u16],
    /// `wrap_y[y..]` for the centre's row y: the row `dy` rows below it at `rows[dy]`.
    rows: &'a [u16],
    /// `row_start[y..]`: the number of the first cell of row y + dy at `row_starts[dy]`.
    row_starts: &'a [u32],
    /// `width * height` words, one per cell.
    field: &'a [u32],
}

impl Around<'_> {
    /// The words of the field at offsets number `drawn` (each below `len()`) of the open
    /// neighbourhood: `field[index(site_at(centre, i))]` for each, with only the offsets'
    /// indices checked.
    #[inline]
    pub fn words<const K: usize>(&self, drawn: [u32; K]) -> [u32; K] {
        let mut words = [0; K];
        for (word, &i) in words.iter_mut().zip(&drawn) {
            let (dx, dy) = self.offsets[i as usize];
            let (dx, dy) = (usize::from(dx), usize::from(dy));
            debug_assert!(dx < self.columns.len() && dy < self.row_starts.len());
            // SAFETY: `new` reduces every offset modulo the width and the height, so
            // dx < width <= columns.len() and dy < height <= row_starts.len() (`around`
            // takes them from x < width and y < height into tables of twice the width and
            // the height). The cell, row_starts[dy] + columns[dx], is at most
            // (height - 1) * width + width - 1, below field.len() (checked by `around`).
            *word = unsafe {
                let cell = *self.row_starts.get_unchecked(dy) as usize
                    + usize::from(*self.columns.get_unchecked(dx));
                *self.field.get_unchecked(cell)
            };
        }
        words
    }

    /// The site at offset number `i` (below `len()`) of the open neighbourhood: `site_at(centre,
    /// i)`, with only the offset's index checked.
    #[inline]
    pub fn site(&self, i: u32) -> Site {
        let (dx, dy) = self.offsets[i as usize];
        let (dx, dy) = (usize::from(dx), usize::from(dy));
        debug_assert!(dx < self.columns.len() && dy < self.rows.len());
        // SAFETY: as in `words`, dx < width <= columns.len() and dy < height <= rows.len().
        unsafe {
            Site {
                x: *self.columns.get_unchecked(dx),
                y: *self.rows.get_unchecked(dy),
            }
        }
    }
}

/// [`LANES`] words of one row of a count field, seen from a centre.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    /// Where the chunk starts, counted from the window's left end (`vision` cells left of
    /// the centre): `dy * stride + lead`, for the chunk `lead` words into the window's row
    /// `dy` rows below the centre (modulo the height).
    offset: usize,
    /// All ones over the cells of the neighbourhood, zero elsewhere.
    mask: [u32; LANES],
}

/// Count words updated together in the fast path (two SSE2 vectors).
const LANES: usize = 8;

impl Neighbourhood {
    /// The neighbourhood of `shape` and radius `vision` on a `width` x `height` torus (both
    /// at least 1).
    pub fn new(width: u32, height: u32, shape: Shape, vision: u32) -> Neighbourhood {
        let (w, h) = (i64::from(width), i64::from(height));
        // Rows by their offset modulo the height; rows that wrap onto one another keep the
        // widest span (all spans are centred on the same column).
        let mut spans: BTreeMap<u32, u32> = BTreeMap::new();
        for dy in -i64::from(vision)..=i64::from(vision) {
            let half = shape.half_width(vision, dy.unsigned_abs() as u32);
            let row = dy.rem_euclid(h) as u32;
            let span = spans.entry(row).or_insert(0);
            *span = (*span).max(half);
        }
        let rows: Vec<Row> = spans
            .iter()
            .map(|(&dy, &half)| Row {
                dy,
                half,
                full: 2 * i64::from(half) + 1 >= w,
            })
            .collect();
        let mut offsets = Vec::new();
        for row in &rows {
            let columns: Vec<u32> = if row.full {
                (0..width).collect()
            } else {
                (-i64::from(row.half)..=i64::from(row.half))
                    .map(|dx| dx.rem_euclid(w) as u32)
                    .collect()
            };
            for dx in columns {
                if (dx, row.dy) != (0, 0) {
                    offsets.push((dx as u16, row.dy as u16));
                }
            }
        }
        let span = 2 * vision as usize + 1;
        let window = if span <= width as usize {
            span.next_multiple_of(LANES)
        } else {
            0
        };
        let stride = width as usize + window.max(1);
        // Each chunk with the row it lies in.
        let mut chunks = Vec::new();
        for row in rows.iter().filter(|_| window > 0) {
            // No row is full when the window fits in the width. The row's chunks start as
            // near its span as the window allows.
            let (half, vision) = (row.half as usize, vision as usize);
            let words = (2 * half + 1).next_multiple_of(LANES);
            let first = (vision - half).min(window - words);
            for lead in (first..first + words).step_by(LANES) {
                let inside = |i: usize| (vision - half..=vision + half).contains(&(lead + i));
                let chunk = Chunk {
                    offset: row.dy as usize * stride + lead,
                    mask: std::array::from_fn(|i| if inside(i) { u32::MAX } else { 0 }),
                };
                chunks.push((row.dy, chunk));
            }
        }
        let unwrapped = (0..height)
            .map(|y| chunks.iter().filter(|&&(dy, _)| dy < height - y).count() as u32)
            .collect();
        // A window reaches at most `span - 1` columns past the right edge.
        let spill = (0..width as usize)
            .map(|x| {
                if window > 0 && x < span - 1 {
                    (width as usize + x) as u32
                } else {
                    stride as u32 - 1
                }
            })
            .collect();
        Neighbourhood {
            width,
            height,
            shape,
            vision,
            rows,
            offsets,
            wrap_x: (0..2 * width).map(|i| (i % width) as u16).collect(),
            wrap_y: (0..2 * height).map(|i| (i % height) as u16).collect(),
            row_start: (0..2 * height).map(|i| (i % height) * width).collect(),
            window,
            chunks: chunks.into_iter().map(|(_, chunk)| chunk).collect(),
            unwrapped,
            stride,
            spill,
        }
    }

    /// The length of a count field on this lattice: `height` rows of `stride` words (more
    /// than one word per cell, see `stride`). [`Neighbourhood::add`] and
    /// [`Neighbourhood::subtract`] change it, [`Neighbourhood::count`] reads it.
    pub fn field_len(&self) -> usize {
        self.stride * self.height as usize
    }

    /// Where the count field holds (most of) the count of `site`.
    #[inline]
    pub fn field_index(&self, site: Site) -> usize {
        usize::from(site.y) * self.stride + usize::from(site.x)
    }

    /// The count of `site` in `field`: the sum, modulo 2³², of what was added at every centre
    /// whose closed neighbourhood holds `site`, less what was taken away.
    #[inline]
    pub fn count(&self, field: &[u32], site: Site) -> u32 {
        let row = usize::from(site.y) * self.stride;
        let x = usize::from(site.x);
        field[row + x].wrapping_add(field[row + self.spill[x] as usize])
    }

    /// How many cells the open neighbourhood holds (the centre excluded).
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    /// Whether the open neighbourhood is empty (a 1 x 1 lattice).
    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    /// The number of `site` in the fields of cells (row by row).
    #[inline]
    pub fn index(&self, site: Site) -> usize {
        usize::from(site.y) * self.width as usize + usize::from(site.x)
    }

    /// The site of cell number `index`.
    pub fn site(&self, index: usize) -> Site {
        let width = self.width as usize;
        Site {
            x: (index % width) as u16,
            y: (index / width) as u16,
        }
    }

    /// The site at offset number `i` (`i < len()`) of the open neighbourhood of `centre`.
    #[inline]
    pub fn site_at(&self, centre: Site, i: usize) -> Site {
        let (dx, dy) = self.offsets[i];
        Site {
            x: self.wrap_x[usize::from(centre.x) + usize::from(dx)],
            y: self.wrap_y[usize::from(centre.y) + usize::from(dy)],
        }
    }

    /// `centre`, checked to lie on the lattice, and `field`, checked to hold one word per
    /// cell, for reading many cells of the centre's open neighbourhood without checking every
    /// table index (a random move probes about six cells, and each probe checked four or five
    /// indices).
    #[inline]
    pub fn around<'a>(&'a self, centre: Site, field: &'a [u32]) -> Around<'a> {
        let (x, y) = (usize::from(centre.x), usize::from(centre.y));
        let (width, height) = (self.width as usize, self.height as usize);
        assert!(
            x < width && y < height && field.len() == width * height,
            "{centre:?} is off the lattice or the field does not hold a word per cell"
        );
        Around {
            offsets: &self.offsets,
            columns: &self.wrap_x[x..],
            rows: &self.wrap_y[y..],
            row_starts: &self.row_start[y..],
            field,
        }
    }

    /// Whether `site` is within vision of `centre`: in its open neighbourhood, or its closed
    /// one with `closed`.
    pub fn contains(&self, centre: Site, site: Site, closed: bool) -> bool {
        if site == centre {
            return closed;
        }
        let torus = |a: u16, b: u16, n: u32| {
            let d = u32::from(a.abs_diff(b));
            u64::from(d.min(n - d))
        };
        let dx = torus(site.x, centre.x, self.width);
        let dy = torus(site.y, centre.y, self.height);
        let v = u64::from(self.vision);
        match self.shape {
            Shape::VonNeumann => dx + dy <= v,
            Shape::Disc => dx * dx + dy * dy <= v * v,
        }
    }

    /// Calls `f(start, len)` for each contiguous run of cell numbers of the closed
    /// neighbourhood of `centre` (every cell exactly once).
    #[inline]
    pub fn for_each_run(&self, centre: Site, f: impl FnMut(usize, usize)) {
        self.runs(centre, self.width as usize, f);
    }

    /// [`Neighbourhood::for_each_run`] in a field of rows `stride` words apart.
    #[inline]
    fn runs(&self, centre: Site, stride: usize, mut f: impl FnMut(usize, usize)) {
        let (width, height) = (self.width as usize, self.height as usize);
        let (x, y) = (usize::from(centre.x), usize::from(centre.y));
        for row in &self.rows {
            let mut ry = y + row.dy as usize;
            if ry >= height {
                ry -= height;
            }
            let base = ry * stride;
            if row.full {
                f(base, width);
                continue;
            }
            let half = row.half as usize;
            let span = 2 * half + 1;
            if x < half {
                // Wraps past the left edge.
                let left = half - x;
                f(base + width - left, left);
                f(base, span - left);
            } else if x + half >= width {
                // Wraps past the right edge.
                let right = x + half + 1 - width;
                f(base + x - half, span - right);
                f(base, right);
            } else {
                f(base + x - half, span);
            }
        }
    }

    /// Adds `amount` to the count field `field` (of [`Neighbourhood::field_len`] words) at
    /// every cell of the closed neighbourhood of `centre`.
    #[inline]
    pub fn add(&self, field: &mut [u32], centre: Site, amount: u32) {
        self.apply(field, centre, amount);
    }

    /// Takes `amount` from the count field `field` at every cell of the closed neighbourhood
    /// of `centre`.
    #[inline]
    pub fn subtract(&self, field: &mut [u32], centre: Site, amount: u32) {
        self.apply(field, centre, amount.wrapping_neg());
    }

    /// Adds `delta` (modulo 2³²) over the closed neighbourhood of `centre`, with AVX2 where
    /// the processor has it: a chunk is then one vector instead of two, which takes two fifths
    /// of the instructions off the update (a sixth of a step's at 40 x 40).
    fn apply(&self, field: &mut [u32], centre: Site, delta: u32) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            unsafe { self.apply_avx2(field, centre, delta) };
            return;
        }
        self.apply_any(field, centre, delta);
    }

    /// [`Neighbourhood::apply_any`] compiled for AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn apply_avx2(&self, field: &mut [u32], centre: Site, delta: u32) {
        self.apply_any(field, centre, delta);
    }

    /// [`Neighbourhood::apply`] for any processor.
    #[inline(always)]
    fn apply_any(&self, field: &mut [u32], centre: Site, delta: u32) {
        let width = self.width as usize;
        let (x, y) = (usize::from(centre.x), usize::from(centre.y));
        let vision = self.vision as usize;
        if self.window > 0 {
            // Near the left edge the window starts a lattice's width to the right, in the
            // columns whose counts spill past the right edge.
            let left = if x >= vision {
                x - vision
            } else {
                x + width - vision
            };
            // Checked once here instead of at every chunk (the checks were nearly a third of
            // the loop's instructions).
            assert!(
                y < self.height as usize && x < width && field.len() == self.field_len(),
                "{centre:?} is off the lattice or the field is not a count field"
            );
            // The window's top left corner; the rows that wrap past the bottom edge lie a
            // field's length back from it.
            let corner = y * self.stride + left;
            let (unwrapped, wrapped) = self.chunks.split_at(self.unwrapped[y] as usize);
            for (chunks, corner) in [
                (unwrapped, corner),
                (wrapped, corner.wrapping_sub(field.len())),
            ] {
                for chunk in chunks {
                    let start = corner.wrapping_add(chunk.offset);
                    debug_assert!(start + LANES <= field.len());
                    // SAFETY: the chunk lies in row y + dy of the field, or y + dy - height
                    // where that wraps (y, dy < height). The window's left end is at most
                    // width - 1 and a chunk ends at most `window` words right of it, so
                    // start + LANES <= (height - 1) * stride + width - 1 + window <
                    // height * stride = field.len().
                    let lanes =
                        unsafe { &mut *field.as_mut_ptr().add(start).cast::<[u32; LANES]>() };
                    // Copied in and out whole, so the compiler sees eight independent lanes.
                    let (bits, mut sums) = (chunk.mask, *lanes);
                    for k in 0..LANES {
                        sums[k] = sums[k].wrapping_add(bits[k] & delta);
                    }
                    *lanes = sums;
                }
            }
            return;
        }
        self.runs(centre, self.stride, |start, len| {
            for count in &mut field[start..start + len] {
                *count = count.wrapping_add(delta);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closed_cells(n: &Neighbourhood, cell: u32) -> Vec<u32> {
        let mut cells = Vec::new();
        n.for_each_run(n.site(cell as usize), |start, len| {
            cells.extend((start..start + len).map(|c| c as u32))
        });
        cells.sort_unstable();
        cells
    }

    fn open_cells(n: &Neighbourhood, cell: u32) -> Vec<u32> {
        let centre = n.site(cell as usize);
        let mut cells: Vec<u32> = (0..n.len())
            .map(|i| n.index(n.site_at(centre, i)) as u32)
            .collect();
        cells.sort_unstable();
        cells
    }

    /// The closed neighbourhood by brute force: every cell within the torus distance.
    fn brute(width: u32, height: u32, shape: Shape, vision: u32, cell: u32) -> Vec<u32> {
        let (x0, y0) = (cell % width, cell / width);
        let torus = |a: u32, b: u32, n: u32| {
            let d = a.abs_diff(b);
            d.min(n - d)
        };
        let mut cells = Vec::new();
        for y in 0..height {
            for x in 0..width {
                let (dx, dy) = (torus(x, x0, width), torus(y, y0, height));
                let inside = match shape {
                    Shape::VonNeumann => dx + dy <= vision,
                    Shape::Disc => dx * dx + dy * dy <= vision * vision,
                };
                if inside {
                    cells.push(y * width + x);
                }
            }
        }
        cells
    }

    #[test]
    fn sizes_match_the_textbook_shapes() {
        // 2v(v+1) von Neumann neighbours; the radius-7 disc holds 149 cells with its centre.
        assert_eq!(Neighbourhood::new(40, 40, Shape::VonNeumann, 7).len(), 112);
        assert_eq!(Neighbourhood::new(40, 40, Shape::Disc, 7).len(), 148);
        assert_eq!(Neighbourhood::new(40, 40, Shape::VonNeumann, 1).len(), 4);
        assert_eq!(Neighbourhood::new(40, 40, Shape::Disc, 1).len(), 4);
    }

    #[test]
    fn runs_and_offsets_agree_with_brute_force_even_when_wrapping() {
        for (width, height) in [(40, 40), (9, 5), (3, 17), (1, 1), (2, 2)] {
            for shape in [Shape::VonNeumann, Shape::Disc] {
                for vision in [1, 2, 3, 7] {
                    let n = Neighbourhood::new(width, height, shape, vision);
                    let numbers: Vec<u32> = (0..width * height).collect();
                    for cell in 0..width * height {
                        let expected = brute(width, height, shape, vision, cell);
                        assert_eq!(closed_cells(&n, cell), expected);
                        let open: Vec<u32> =
                            expected.iter().copied().filter(|&c| c != cell).collect();
                        assert_eq!(open_cells(&n, cell), open, "{width}x{height} {shape:?}");
                        let centre = n.site(cell as usize);
                        for i in 0..n.len() {
                            let cell = n.around(centre, &numbers).words([i as u32])[0];
                            assert_eq!(cell as usize, n.index(n.site_at(centre, i)));
                        }
                        for other in 0..width * height {
                            let inside = n.contains(centre, n.site(other as usize), true);
                            assert_eq!(inside, expected.contains(&other));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn count_fields_sum_what_was_added_around_each_cell() {
        for (width, height) in [(40, 40), (9, 5), (15, 3), (16, 2), (3, 17), (1, 1)] {
            for shape in [Shape::VonNeumann, Shape::Disc] {
                for vision in [1, 2, 4, 7] {
                    let n = Neighbourhood::new(width, height, shape, vision);
                    let amount = |cell: u32| 1 + cell % 5;
                    let mut field = vec![0; n.field_len()];
                    for cell in 0..width * height {
                        n.add(&mut field, n.site(cell as usize), 2 * amount(cell));
                    }
                    for cell in (0..width * height).step_by(2) {
                        n.subtract(&mut field, n.site(cell as usize), amount(cell));
                    }
                    // What each cell should count: every centre's amount, added to the
                    // cells of its brute-force neighbourhood (half of it for even centres).
                    let mut expected = vec![0; (width * height) as usize];
                    for centre in 0..width * height {
                        let kept = amount(centre) * if centre % 2 == 0 { 1 } else { 2 };
                        for cell in brute(width, height, shape, vision, centre) {
                            expected[cell as usize] += kept;
                        }
                    }
                    for cell in 0..width * height {
                        let got = n.count(&field, n.site(cell as usize));
                        assert_eq!(
                            got, expected[cell as usize],
                            "{width}x{height} {shape:?} v{vision} cell {cell}"
                        );
                    }
                }
            }
        }
    }

    /// A way of adding to a count field: [`Neighbourhood::apply`] or one of its paths.
    type Apply = fn(&Neighbourhood, &mut [u32], Site, u32);

    /// Every way of updating a count field this processor can run: the portable one, and
    /// AVX2 where the processor has it (`apply` picks the fastest, so the others would go
    /// untested on a processor that has it).
    fn paths() -> Vec<(&'static str, Apply)> {
        let mut paths: Vec<(&'static str, Apply)> =
            vec![("portable", |n, field, centre, delta| {
                n.apply_any(field, centre, delta)
            })];
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            paths.push(("avx2", |n, field, centre, delta| {
                // SAFETY: the processor has AVX2, checked just above.
                unsafe { n.apply_avx2(field, centre, delta) }
            }));
        }
        paths.push(("apply", Neighbourhood::apply));
        paths
    }

    #[test]
    fn every_path_counts_as_a_naive_update_does() {
        let sizes = [
            (7, 5),
            (13, 9),
            (40, 40),
            (9, 5),
            (16, 2),
            (31, 3),
            (25, 26),
            (1, 1),
        ];
        for (width, height) in sizes {
            for shape in [Shape::VonNeumann, Shape::Disc] {
                for vision in [1, 3, 7, 12] {
                    let n = Neighbourhood::new(width, height, shape, vision);
                    // A series of adds and subtracts at centres spread over the lattice,
                    // amounts wrapping past 2³² included.
                    let cells = width * height;
                    let updates: Vec<(u32, u32)> = (0..3 * cells)
                        .map(|i| {
                            let centre = (i * 7 + i / 3) % cells;
                            let amount = match i % 4 {
                                0 => 1,
                                1 => 1000,
                                2 => u32::MAX - i,
                                _ => 2_654_435_761u32.wrapping_mul(i + 1) | 1,
                            };
                            let delta = if i % 3 == 1 {
                                amount.wrapping_neg()
                            } else {
                                amount
                            };
                            (centre, delta)
                        })
                        .collect();
                    // The naive update: every cell of the brute-force closed neighbourhood.
                    let mut expected = vec![0u32; cells as usize];
                    for &(centre, delta) in &updates {
                        for cell in brute(width, height, shape, vision, centre) {
                            let count = &mut expected[cell as usize];
                            *count = count.wrapping_add(delta);
                        }
                    }
                    let mut fields = Vec::new();
                    for (name, apply) in paths() {
                        let mut field = vec![0; n.field_len()];
                        for &(centre, delta) in &updates {
                            apply(&n, &mut field, n.site(centre as usize), delta);
                        }
                        for cell in 0..cells {
                            assert_eq!(
                                n.count(&field, n.site(cell as usize)),
                                expected[cell as usize],
                                "{name}: {width}x{height} {shape:?} v{vision} cell {cell}"
                            );
                        }
                        fields.push((name, field));
                    }
                    // Word for word the same field, padding included, whatever the path.
                    for (name, field) in &fields[1..] {
                        assert!(
                            *field == fields[0].1,
                            "{name}: {width}x{height} {shape:?} v{vision}"
                        );
                    }
                }
            }
        }
    }
}
