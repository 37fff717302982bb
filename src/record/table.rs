//! The one writer and the one reader of revsim's tables (a run's timeseries, a sweep's runs and
//! fans), as CSV or Parquet ([`Format`]).
//!
//! A row is handed to the writer, and read back, as the text of its CSV line, so the two
//! formats hold the same values by construction. Parquet stores each field typed by its
//! column's [`Kind`]: integers as INT64, numbers as DOUBLE, dates as DATE (days since
//! 1970-01-01, which R's arrow and pandas read as dates), flags as BOOLEAN, names as UTF8
//! strings (dictionary-encoded, Snappy-compressed like every column); an empty field is a
//! null. Read back, a number is the shortest text that parses to the same double, which is the
//! text revsim wrote (it never writes trailing zeros), so a table converted either way gives
//! the same bytes. The file holds no time and no path: the same rows give the same bytes.
//!
//! Every Parquet file revsim writes holds a checksum of its bytes in its metadata
//! ([`CHECKSUM_KEY`]), checked before anything else is read: the Parquet decoder may panic on
//! damaged data, so a damaged or edited file must be refused before it sees it.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::reader::RowIter;
use parquet::record::Field;
use parquet::schema::types::Type;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::read::ReadError;
use crate::date::{Date, FIRST_DAY, LAST_DAY};
use crate::fsutil::write_atomic;

/// How a command writes its big tables: `csv` (the default) or `parquet`. Small files
/// (manifests, events, metrics, points) are CSV or JSON either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Csv,
    Parquet,
}

impl Format {
    /// Every format, in the order [`Format::find`] looks for a table.
    pub const ALL: [Format; 2] = [Format::Csv, Format::Parquet];
    /// Their names, as `--format` and `format = "..."` take them; also the files' extensions.
    pub const NAMES: [&'static str; 2] = ["csv", "parquet"];

    pub fn name(self) -> &'static str {
        Format::NAMES[self as usize]
    }

    pub fn is_csv(&self) -> bool {
        *self == Format::Csv
    }

    /// The file name of table `stem` in this format (`timeseries.parquet`).
    pub fn file_name(self, stem: &str) -> String {
        format!("{stem}.{}", self.name())
    }

    /// The format of a table's file, by its extension.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext == Format::Parquet.name() => Format::Parquet,
            _ => Format::Csv,
        }
    }

    /// The file of table `stem` in `dir`, in whichever format the folder holds it.
    pub fn find(dir: &Path, stem: &str) -> Option<PathBuf> {
        Format::ALL
            .iter()
            .map(|format| dir.join(format.file_name(stem)))
            .find(|path| path.is_file())
    }

    /// How [`Format::find`]'s files are named, for a message: `timeseries.csv or
    /// timeseries.parquet`.
    pub fn either(stem: &str) -> String {
        Format::ALL.map(|f| f.file_name(stem)).join(" or ")
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|format| format.name() == text)
            .ok_or_else(|| {
                format!(
                    "`{text}` is not an output format: expected {}",
                    Format::NAMES.join(" or ")
                )
            })
    }
}

/// What a column holds, and so how Parquet stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number (INT64).
    Int,
    /// A number (DOUBLE).
    Real,
    /// A name (UTF8).
    Text,
    /// A date, `YYYY-MM-DD` in CSV (DATE).
    Date,
    /// `true` or `false` (BOOLEAN).
    Flag,
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

/// The columns named and typed in `spec`.
pub fn columns(spec: &[(&str, Kind)]) -> Vec<Column> {
    spec.iter()
        .map(|&(name, kind)| Column {
            name: name.to_string(),
            kind,
        })
        .collect()
}

/// Rows per Parquet row group: a few MB of buffered values at most.
const ROW_GROUP_ROWS: usize = 1 << 17;

/// The rows of a table being written ([`write_table`]).
pub struct Rows<'w> {
    sink: Sink<'w>,
}

enum Sink<'w> {
    Csv(&'w mut BufWriter<File>),
    Parquet(Box<ParquetSink>),
}

impl Rows<'_> {
    /// Appends a row, given as the text of its CSV line without the line end.
    pub fn line(&mut self, line: &str) -> io::Result<()> {
        match &mut self.sink {
            Sink::Csv(out) => {
                out.write_all(line.as_bytes())?;
                out.write_all(b"\n")
            }
            Sink::Parquet(sink) => sink.push(line),
        }
    }

    /// Appends rows given as the text of their CSV lines, each ended by a line end.
    pub fn lines(&mut self, text: &str) -> io::Result<()> {
        match &mut self.sink {
            Sink::Csv(out) => out.write_all(text.as_bytes()),
            Sink::Parquet(sink) => text.lines().try_for_each(|line| sink.push(line)),
        }
    }
}

/// Writes the table `path` (CSV or Parquet by its extension) atomically: `columns`, then the
/// rows `fill` appends.
pub fn write_table(
    path: &Path,
    columns: &[Column],
    fill: impl FnOnce(&mut Rows<'_>) -> io::Result<()>,
) -> io::Result<()> {
    let format = Format::of(path);
    write_atomic(path, |out| match format {
        Format::Csv => {
            let header: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
            writeln!(out, "{}", header.join(","))?;
            fill(&mut Rows {
                sink: Sink::Csv(out),
            })
        }
        Format::Parquet => {
            let mut rows = Rows {
                sink: Sink::Parquet(Box::new(ParquetSink::new(columns)?)),
            };
            fill(&mut rows)?;
            match rows.sink {
                Sink::Parquet(sink) => out.write_all(&sink.finish()?),
                Sink::Csv(_) => Ok(()),
            }
        }
    })
}

/// A column's values of the row group being filled.
enum Values {
    Int(Vec<i64>),
    Real(Vec<f64>),
    Text(Vec<ByteArray>),
    Date(Vec<i32>),
    Flag(Vec<bool>),
}

struct Buffer {
    name: String,
    values: Values,
    /// 1 for a value, 0 for a null (an empty field).
    levels: Vec<i16>,
}

impl Buffer {
    fn push(&mut self, text: &str) -> Result<(), String> {
        if text.is_empty() {
            self.levels.push(0);
            return Ok(());
        }
        let bad = |what: &str| format!("column {}: {text:?} is not {what}", self.name);
        match &mut self.values {
            Values::Int(values) => values.push(text.parse().map_err(|_| bad("an integer"))?),
            Values::Real(values) => values.push(text.parse().map_err(|_| bad("a number"))?),
            Values::Text(values) => values.push(ByteArray::from(text)),
            Values::Date(values) => values.push(
                Date::parse(text)
                    .map_err(|_| bad("a date"))?
                    .days_since_epoch(),
            ),
            Values::Flag(values) => values.push(text.parse().map_err(|_| bad("a flag"))?),
        }
        self.levels.push(1);
        Ok(())
    }

    /// Writes the buffered values as one column chunk and empties the buffer.
    fn write(&mut self, writer: &mut ColumnWriter<'_>) -> parquet::errors::Result<()> {
        let levels = Some(self.levels.as_slice());
        match (&mut self.values, writer) {
            (Values::Int(v), ColumnWriter::Int64ColumnWriter(w)) => w.write_batch(v, levels, None),
            (Values::Real(v), ColumnWriter::DoubleColumnWriter(w)) => {
                w.write_batch(v, levels, None)
            }
            (Values::Text(v), ColumnWriter::ByteArrayColumnWriter(w)) => {
                w.write_batch(v, levels, None)
            }
            (Values::Date(v), ColumnWriter::Int32ColumnWriter(w)) => w.write_batch(v, levels, None),
            (Values::Flag(v), ColumnWriter::BoolColumnWriter(w)) => w.write_batch(v, levels, None),
            _ => Err(parquet::errors::ParquetError::General(format!(
                "column {} has another type in the schema",
                self.name
            ))),
        }?;
        match &mut self.values {
            Values::Int(v) => v.clear(),
            Values::Real(v) => v.clear(),
            Values::Text(v) => v.clear(),
            Values::Date(v) => v.clear(),
            Values::Flag(v) => v.clear(),
        }
        self.levels.clear();
        Ok(())
    }
}

/// A Parquet file being written, in memory (it is compressed: a few MB for a large table) so
/// that its checksum can be written into it before it goes to disk.
struct ParquetSink {
    writer: SerializedFileWriter<Vec<u8>>,
    buffers: Vec<Buffer>,
    rows: usize,
}

fn parquet_io(error: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(error.to_string())
}

impl ParquetSink {
    fn new(columns: &[Column]) -> io::Result<ParquetSink> {
        let fields = columns
            .iter()
            .map(|column| {
                let (physical, logical) = match column.kind {
                    Kind::Int => (Physical::INT64, None),
                    Kind::Real => (Physical::DOUBLE, None),
                    Kind::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
                    Kind::Date => (Physical::INT32, Some(LogicalType::Date)),
                    Kind::Flag => (Physical::BOOLEAN, None),
                };
                Type::primitive_type_builder(&column.name, physical)
                    .with_repetition(Repetition::OPTIONAL)
                    .with_logical_type(logical)
                    .build()
                    .map(Arc::new)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(parquet_io)?;
        let schema = Type::group_type_builder("schema")
            .with_fields(fields)
            .build()
            .map_err(parquet_io)?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let writer = SerializedFileWriter::new(Vec::new(), Arc::new(schema), Arc::new(properties))
            .map_err(parquet_io)?;
        let buffers = columns
            .iter()
            .map(|column| Buffer {
                name: column.name.clone(),
                values: match column.kind {
                    Kind::Int => Values::Int(Vec::new()),
                    Kind::Real => Values::Real(Vec::new()),
                    Kind::Text => Values::Text(Vec::new()),
                    Kind::Date => Values::Date(Vec::new()),
                    Kind::Flag => Values::Flag(Vec::new()),
                },
                levels: Vec::new(),
            })
            .collect();
        Ok(ParquetSink {
            writer,
            buffers,
            rows: 0,
        })
    }

    fn push(&mut self, line: &str) -> io::Result<()> {
        let invalid = |message: String| io::Error::new(io::ErrorKind::InvalidData, message);
        let count = line.split(',').count();
        if count != self.buffers.len() {
            return Err(invalid(format!(
                "a row of {count} fields, expected {}: {line:?}",
                self.buffers.len()
            )));
        }
        for (buffer, text) in self.buffers.iter_mut().zip(line.split(',')) {
            buffer.push(text).map_err(invalid)?;
        }
        self.rows += 1;
        if self.rows == ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered rows as a row group.
    fn flush(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group().map_err(parquet_io)?;
        for buffer in &mut self.buffers {
            let Some(mut column) = group.next_column().map_err(parquet_io)? else {
                return Err(io::Error::other(
                    "the schema has fewer columns than the table",
                ));
            };
            buffer.write(column.untyped()).map_err(parquet_io)?;
            column.close().map_err(parquet_io)?;
        }
        group.close().map_err(parquet_io)?;
        self.rows = 0;
        Ok(())
    }

    /// The file's bytes, with their checksum.
    fn finish(mut self) -> io::Result<Vec<u8>> {
        self.flush()?;
        self.writer.append_key_value_metadata(KeyValue::new(
            CHECKSUM_KEY.to_string(),
            String::from_utf8_lossy(&CHECKSUM_PLACEHOLDER).into_owned(),
        ));
        let mut bytes = self.writer.into_inner().map_err(parquet_io)?;
        let at = checksum_at(&bytes)
            .filter(|at| bytes[at.clone()] == CHECKSUM_PLACEHOLDER)
            .ok_or_else(|| io::Error::other("the Parquet writer put the checksum elsewhere"))?;
        let sum = checksum(&bytes, at.clone());
        bytes[at].copy_from_slice(sum.as_bytes());
        Ok(bytes)
    }
}

/// The metadata key of the checksum of a Parquet file revsim writes: the SHA-256, in hex, of
/// the file's bytes with the checksum's own 64 digits as zeros.
pub const CHECKSUM_KEY: &str = "revsim.sha256";
const CHECKSUM_PLACEHOLDER: [u8; 64] = [b'0'; 64];

/// Where the checksum's digits are in a Parquet file: in the footer (the metadata, then its
/// length and `PAR1`), after the key and the two bytes that frame a 64-byte string (Thrift's
/// compact protocol: field 2 of type binary, length 64).
fn checksum_at(bytes: &[u8]) -> Option<Range<usize>> {
    let end = bytes.len().checked_sub(8)?;
    if bytes.get(end + 4..)? != b"PAR1" {
        return None;
    }
    let length = u32::from_le_bytes(bytes.get(end..end + 4)?.try_into().ok()?) as usize;
    let footer = end.checked_sub(length)?;
    let key = CHECKSUM_KEY.as_bytes();
    let found = bytes
        .get(footer..end)?
        .windows(key.len())
        .rposition(|window| window == key)?;
    let value = footer + found + key.len() + 2;
    let at = value..value + CHECKSUM_PLACEHOLDER.len();
    (bytes.get(value - 2..value)? == [0x18, 0x40] && at.end <= end).then_some(at)
}

/// The checksum of a file whose digits are at `at`.
fn checksum(bytes: &[u8], at: Range<usize>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(&bytes[..at.start]);
    hasher.update(CHECKSUM_PLACEHOLDER);
    hasher.update(&bytes[at.end..]);
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The file's bytes if they hold their checksum; else why not.
fn checked(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let Some(at) = checksum_at(&bytes) else {
        return Err(format!(
            "it has no `{CHECKSUM_KEY}` checksum: revsim reads the Parquet files it wrote, \
             whole"
        ));
    };
    if checksum(&bytes, at.clone()).as_bytes() != &bytes[at] {
        return Err("its bytes do not match its checksum: the file was damaged or edited".into());
    }
    Ok(bytes)
}

/// Reads a table (CSV or Parquet by its extension) row by row, each row as the fields of its
/// CSV line: the one reader of every table revsim writes.
pub struct TableReader {
    path: PathBuf,
    header: Vec<String>,
    source: Source,
    /// The line of the last row read: in a CSV file its line (the header is line 1), in a
    /// Parquet file its row + 1.
    line: u64,
    /// A CSV file whose last line has no line end: cut short while it was written.
    cut: bool,
}

enum Source {
    Csv(csv::Reader<io::BufReader<File>>),
    Parquet(RowIter<'static>),
}

impl TableReader {
    pub fn open(path: &Path) -> Result<TableReader, ReadError> {
        let io_error = |source: io::Error| ReadError::Io {
            path: path.to_path_buf(),
            source,
        };
        match Format::of(path) {
            Format::Csv => {
                let mut file = File::open(path).map_err(io_error)?;
                let cut = ends_cut_short(&mut file).map_err(io_error)?;
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(true)
                    .flexible(true)
                    .from_reader(io::BufReader::with_capacity(1 << 16, file));
                let header = reader
                    .byte_headers()
                    .map_err(|e| csv_error(path, e))?
                    .iter()
                    .map(|field| String::from_utf8_lossy(field.trim_ascii()).into_owned())
                    .collect();
                Ok(TableReader {
                    path: path.to_path_buf(),
                    header,
                    source: Source::Csv(reader),
                    line: 1,
                    cut,
                })
            }
            Format::Parquet => {
                let parquet_error = |e: parquet::errors::ParquetError| ReadError::Parquet {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                };
                let bytes = checked(std::fs::read(path).map_err(io_error)?).map_err(|message| {
                    ReadError::Parquet {
                        path: path.to_path_buf(),
                        message,
                    }
                })?;
                let reader =
                    SerializedFileReader::new(bytes::Bytes::from(bytes)).map_err(parquet_error)?;
                let header = reader
                    .metadata()
                    .file_metadata()
                    .schema_descr()
                    .columns()
                    .iter()
                    .map(|column| column.name().to_string())
                    .collect();
                Ok(TableReader {
                    path: path.to_path_buf(),
                    header,
                    source: Source::Parquet(RowIter::from_file_into(Box::new(reader))),
                    line: 1,
                    cut: false,
                })
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The column names.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The line of the last row read (see [`TableReader::open`]).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Whether the file's last line was cut short (a CSV file an interrupted writer left).
    pub fn is_cut(&self) -> bool {
        self.cut
    }

    /// The positions of the named columns, or an error naming the one missing.
    pub fn columns<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N], ReadError> {
        let mut found = [0; N];
        for (slot, name) in found.iter_mut().zip(names) {
            *slot = self
                .header
                .iter()
                .position(|column| column == name)
                .ok_or_else(|| ReadError::Header {
                    path: self.path.clone(),
                    message: format!(
                        "the header has no column {name:?} (expected {})",
                        names.join(",")
                    ),
                })?;
        }
        Ok(found)
    }

    /// Reads the next row into `record`; `false` at the end of the table.
    pub fn read(&mut self, record: &mut csv::ByteRecord) -> Result<bool, ReadError> {
        match &mut self.source {
            Source::Csv(reader) => {
                let more = reader
                    .read_byte_record(record)
                    .map_err(|e| csv_error(&self.path, e))?;
                self.line = record.position().map_or(self.line + 1, |p| p.line());
                Ok(more)
            }
            Source::Parquet(rows) => {
                let Some(row) = rows.next() else {
                    return Ok(false);
                };
                self.line += 1;
                let row = row.map_err(|e| ReadError::Parquet {
                    path: self.path.clone(),
                    message: e.to_string(),
                })?;
                record.clear();
                let mut text = String::new();
                for (name, field) in row.get_column_iter() {
                    text.clear();
                    field_text(field, &mut text).map_err(|what| {
                        ReadError::malformed(
                            &self.path,
                            self.line,
                            format!("column {name} holds {what}"),
                        )
                    })?;
                    record.push_field(text.as_bytes());
                }
                Ok(true)
            }
        }
    }

    /// Reads the next row as the text of its CSV line (fields joined by commas); `None` at the
    /// end of the table.
    pub fn read_line(&mut self, record: &mut csv::ByteRecord) -> Result<Option<String>, ReadError> {
        if !self.read(record)? {
            return Ok(None);
        }
        let mut line = Vec::with_capacity(record.as_slice().len() + record.len());
        for (i, field) in record.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            line.extend_from_slice(field);
        }
        String::from_utf8(line)
            .map(Some)
            .map_err(|_| ReadError::malformed(&self.path, self.line, "the row is not UTF-8 text"))
    }
}

/// Whether a non-empty file's last byte is not a line end; leaves the file at its start.
fn ends_cut_short(file: &mut File) -> io::Result<bool> {
    if file.metadata()?.len() == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(last[0] != b'\n')
}

/// A Parquet field as the text its CSV field holds; `Err` says what it is if revsim never
/// writes such a value.
fn field_text(field: &Field, text: &mut String) -> Result<(), String> {
    let written = match field {
        Field::Null => Ok(()),
        Field::Bool(v) => write!(text, "{v}"),
        Field::Byte(v) => write!(text, "{v}"),
        Field::Short(v) => write!(text, "{v}"),
        Field::Int(v) => write!(text, "{v}"),
        Field::Long(v) => write!(text, "{v}"),
        Field::UByte(v) => write!(text, "{v}"),
        Field::UShort(v) => write!(text, "{v}"),
        Field::UInt(v) => write!(text, "{v}"),
        Field::ULong(v) => write!(text, "{v}"),
        Field::Float(v) => write!(text, "{v}"),
        Field::Double(v) => write!(text, "{v}"),
        Field::Str(v) => {
            text.push_str(v);
            Ok(())
        }
        Field::Date(days)
            if (FIRST_DAY.days_since_epoch()..=LAST_DAY.days_since_epoch()).contains(days) =>
        {
            write!(
                text,
                "{}",
                FIRST_DAY.add_days(days - FIRST_DAY.days_since_epoch())
            )
        }
        Field::Date(days) => {
            return Err(format!(
                "the date {days} days after 1970-01-01, outside the model's calendar \
                 ({FIRST_DAY} to {LAST_DAY})"
            ))
        }
        other => return Err(format!("{other}, a value revsim does not write")),
    };
    written.map_err(|e| e.to_string())
}

/// A CSV reading error as a [`ReadError`] naming the file and line.
pub(super) fn csv_error(path: &Path, error: csv::Error) -> ReadError {
    let line = error.position().map(|p| p.line()).unwrap_or(0);
    match error.kind() {
        csv::ErrorKind::Io(io_error) => ReadError::Io {
            path: path.to_path_buf(),
            source: io::Error::new(io_error.kind(), io_error.to_string()),
        },
        _ => ReadError::malformed(path, line, error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Vec<Column> {
        columns(&[
            ("run", Kind::Int),
            ("date", Kind::Date),
            ("metric", Kind::Text),
            ("value", Kind::Real),
            ("flag", Kind::Flag),
        ])
    }

    const LINES: [&str; 4] = [
        "0,1917-03-08,active,0.5,true",
        "1,1917-03-15,sown_area,182000000.5,false",
        "12,,hardship,,",
        "3,1921-03-01,a.b,0.30000000000000004,true",
    ];

    fn write(path: &Path) {
        write_table(path, &table(), |rows| {
            LINES.iter().try_for_each(|line| rows.line(line))
        })
        .unwrap();
    }

    fn read_back(path: &Path) -> Vec<String> {
        let mut reader = TableReader::open(path).unwrap();
        assert_eq!(reader.header(), ["run", "date", "metric", "value", "flag"]);
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while let Some(line) = reader.read_line(&mut record).unwrap() {
            lines.push(line);
        }
        lines
    }

    #[test]
    fn both_formats_read_back_the_lines_written() {
        let dir = tempfile::tempdir().unwrap();
        for format in Format::ALL {
            let path = dir.path().join(format.file_name("t"));
            write(&path);
            assert_eq!(read_back(&path), LINES, "{format}");
            assert_eq!(
                Format::find(dir.path(), "t").map(|p| Format::of(&p)),
                Some(Format::Csv)
            );
        }
        // The same rows, the same bytes.
        let again = dir.path().join("again.parquet");
        write(&again);
        assert_eq!(
            std::fs::read(&again).unwrap(),
            std::fs::read(dir.path().join("t.parquet")).unwrap()
        );
    }

    #[test]
    fn a_field_of_the_wrong_kind_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let error =
            write_table(&path, &table(), |rows| rows.line("x,1917-03-08,a,1,true")).unwrap_err();
        assert!(error.to_string().contains("column run"), "{error}");
        let error = write_table(&path, &table(), |rows| rows.line("1,2")).unwrap_err();
        assert!(
            error.to_string().contains("2 fields, expected 5"),
            "{error}"
        );
        assert!(!path.exists());
    }

    #[test]
    fn a_damaged_parquet_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        write(&path);
        let bytes = std::fs::read(&path).unwrap();
        let read_all = |bytes: &[u8]| -> Result<(), ReadError> {
            std::fs::write(&path, bytes).unwrap();
            let mut reader = TableReader::open(&path)?;
            let mut record = csv::ByteRecord::new();
            while reader.read(&mut record)? {}
            Ok(())
        };
        assert!(read_all(&bytes[..bytes.len() / 2]).is_err());
        assert!(read_all(b"step,date\n0,1917-03-08\n").is_err());
        // Every byte flipped in turn: an error or the rows, never a panic.
        for i in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[i] ^= 0x5a;
            let _ = read_all(&damaged);
        }
    }

    #[test]
    fn format_names_parse_and_a_bad_one_says_what_is_valid() {
        assert_eq!("parquet".parse::<Format>(), Ok(Format::Parquet));
        assert_eq!("csv".parse::<Format>(), Ok(Format::Csv));
        assert_eq!(
            "arrow".parse::<Format>().unwrap_err(),
            "`arrow` is not an output format: expected csv or parquet"
        );
    }
}
