//! Roster columns as schools name them, the header row found below any
//! title rows, and the normal forms of classes, dates, sex and ОВЗ.

use super::Grid;

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    Class,
    Letter,
    Last,
    First,
    Middle,
    FullName,
    BirthDate,
    Sex,
    SpecialNeeds,
    Mark,
    Language,
    /// A participant code (lists of codes from ФИС ОКО).
    Code,
}

impl Col {
    pub(crate) fn title(self) -> &'static str {
        match self {
            Self::Class => "Класс",
            Self::Letter => "Литера",
            Self::Last => "Фамилия",
            Self::First => "Имя",
            Self::Middle => "Отчество",
            Self::FullName => "ФИО",
            Self::BirthDate => "Дата рождения",
            Self::Sex => "Пол",
            Self::SpecialNeeds => "ОВЗ",
            Self::Mark => "Отметка",
            Self::Language => "Язык",
            Self::Code => "Код участника",
        }
    }

    pub(crate) fn from_header(h: &str) -> Option<Self> {
        Some(match fold_header(h).as_str() {
            "класс" | "класс параллель" | "параллель" | "номер класса" | "class" | "grade" => {
                Self::Class
            }
            "литера" | "буква" | "литера класса" | "буква класса" | "letter" => {
                Self::Letter
            }
            "фамилия" | "фамилия участника" | "фамилия обучающегося" | "last name" | "surname" => {
                Self::Last
            }
            "имя" | "first name" | "name" => Self::First,
            "отчество" | "отчество при наличии" | "middle name" | "patronymic" => {
                Self::Middle
            }
            "фио"
            | "ф и о"
            | "фамилия имя отчество"
            | "фамилия имя"
            | "фио участника"
            | "фио обучающегося"
            | "фио ученика"
            | "full name" => Self::FullName,
            "дата рождения" | "др" | "date of birth" | "birth date" => {
                Self::BirthDate
            }
            "пол" | "sex" | "gender" => Self::Sex,
            "овз" | "наличие овз" | "обучающийся с овз" | "special needs" => {
                Self::SpecialNeeds
            }
            "отметка" | "отметка за четверть" | "отметка за предыдущую четверть" | "mark" => {
                Self::Mark
            }
            "язык" | "иностранный язык" | "изучаемый язык" | "language" => {
                Self::Language
            }
            "код"
            | "код участника"
            | "коды участников"
            | "код обучающегося"
            | "код ученика"
            | "коды"
            | "participant code"
            | "code" => Self::Code,
            _ => return None,
        })
    }
}

/// Lower case, ё as е, punctuation and extra spaces dropped.
fn fold_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace('ё', "е")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The header: its 0-based row, each column's meaning and the file's own
/// title of that column.
#[derive(Debug)]
pub(crate) struct Header {
    pub row: usize,
    pub cols: Vec<Option<Col>>,
    pub titles: Vec<String>,
}

impl Header {
    pub(crate) fn has(&self, c: Col) -> bool {
        self.cols.contains(&Some(c))
    }

    pub(crate) fn position(&self, c: Col) -> Option<usize> {
        self.cols.iter().position(|x| *x == Some(c))
    }

    /// The file's own name of a column (or ours when the file has none).
    pub(crate) fn title(&self, c: Col) -> String {
        self.position(c)
            .and_then(|p| self.titles.get(p))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| c.title().to_string())
    }

    /// Whether the columns make a roster: a class and a name.
    pub(crate) fn complete(&self) -> bool {
        self.has(Col::Class)
            && (self.has(Col::FullName) || (self.has(Col::Last) && self.has(Col::First)))
    }
}

/// The header row: the first row within the top rows that names a class
/// and a name; failing that, the row naming most known columns.
pub(crate) fn find_header(grid: &Grid) -> Option<Header> {
    let mut best: Option<(usize, Header)> = None;
    for (r, row) in grid.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let cols: Vec<Option<Col>> = row.iter().map(|h| Col::from_header(h)).collect();
        let known = cols.iter().flatten().count();
        let h = Header {
            row: r,
            cols,
            titles: row.clone(),
        };
        if h.complete() {
            return Some(h);
        }
        if known >= 2 && best.as_ref().is_none_or(|(k, _)| known > *k) {
            best = Some((known, h));
        }
    }
    best.map(|(_, h)| h)
}

/// The first row within the top rows that names every column of `required`
/// (a list of codes: the code column, maybe a class).
pub(crate) fn find_header_with(grid: &Grid, required: &[Col]) -> Option<Header> {
    grid.iter()
        .enumerate()
        .take(HEADER_SEARCH_ROWS)
        .map(|(r, row)| Header {
            row: r,
            cols: row.iter().map(|h| Col::from_header(h)).collect(),
            titles: row.clone(),
        })
        .find(|h| required.iter().all(|c| h.has(*c)))
}

/// «7 Б», «7-б», «7б», «7 "Б"» → «7Б»; a grade alone («7») stays as it is.
pub fn normalise_class(s: &str) -> Option<String> {
    let compact: String = s
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '-' | '–' | '"' | '«' | '»' | '\'' | '.' | '_')
        })
        .collect();
    let digits: String = compact.chars().take_while(char::is_ascii_digit).collect();
    let grade: u8 = digits.parse().ok().filter(|g| (1..=11).contains(g))?;
    let letter: String = compact[digits.len()..].to_uppercase();
    if letter.chars().count() > 3 || !letter.chars().all(char::is_alphabetic) {
        return None;
    }
    Some(format!("{grade}{letter}"))
}

/// A birth date as `ДД.ММ.ГГГГ`, `Д.М.ГГГГ`, `ДД/ММ/ГГГГ` or `ГГГГ-ММ-ДД`,
/// a real day of a year from 1950 to this year.
pub fn parse_birth_date(s: &str) -> Option<time::Date> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(['.', '/', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |x: &str| x.trim().parse::<i32>().ok();
    let (y, m, d) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else if c.len() == 4 {
        (num(c)?, num(b)?, num(a)?)
    } else {
        return None;
    };
    let this_year = time::OffsetDateTime::now_utc().year();
    if !(1950..=this_year).contains(&y) {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    time::Date::from_calendar_date(y, month, u8::try_from(d).ok()?).ok()
}

/// «М», «Ж» or empty; `None` for anything else.
pub(crate) fn parse_sex(s: &str) -> Option<String> {
    Some(
        match s.trim().to_lowercase().trim_end_matches('.') {
            "" => "",
            "м" | "m" | "муж" | "мужской" | "male" => "М",
            "ж" | "f" | "жен" | "женский" | "female" => "Ж",
            _ => return None,
        }
        .to_string(),
    )
}

/// ОВЗ as written in school lists.
pub(crate) fn parse_special_needs(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "нет" | "0" | "no" | "-" | "false" | "ложь" => Some(false),
        "да" | "1" | "yes" | "+" | "есть" | "true" | "истина" | "овз" => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_dates_and_headers() {
        for s in ["7 Б", "7-б", "7б", "7Б", " 7 «б» ", "7\"Б\""] {
            assert_eq!(normalise_class(s).as_deref(), Some("7Б"), "{s:?}");
        }
        assert_eq!(normalise_class("11").as_deref(), Some("11"));
        for bad in ["", "Б7", "12А", "0А", "7АБВГ", "7/1"] {
            assert_eq!(normalise_class(bad), None, "{bad:?}");
        }
        assert!(parse_birth_date("01.09.2013").is_some());
        assert!(parse_birth_date("1.9.2013").is_some());
        assert!(parse_birth_date("2013-09-01").is_some());
        assert!(parse_birth_date("31.02.2013").is_none());
        assert!(parse_birth_date("01.09.1900").is_none());
        assert!(parse_birth_date("вчера").is_none());
        for (h, c) in [
            ("Ф.И.О.", Col::FullName),
            ("ФИО", Col::FullName),
            ("Фамилия, имя, отчество", Col::FullName),
            ("Литера", Col::Letter),
            ("Дата рождения", Col::BirthDate),
            ("\u{feff}Класс", Col::Class),
            ("Наличие ОВЗ", Col::SpecialNeeds),
        ] {
            assert_eq!(Col::from_header(h), Some(c), "{h}");
        }
    }
}
