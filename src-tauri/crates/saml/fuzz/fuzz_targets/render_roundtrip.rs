//! Writer fuzzing: any (key, value) pairs either render to XML that reads
//! back to exactly the same pairs, or are refused because of a character
//! XML 1.0 cannot carry. Validation must never panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saml::{is_xml_char, read_access_control, render_pairs, validate_pairs, Error, RenderOptions, TagValue};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let options = RenderOptions {
        standalone: flags & 1 != 0,
        pretty: flags & 2 != 0,
        name_format: flags & 4 != 0,
    };
    // 0xFF never occurs in UTF-8, so it separates fields without limiting them.
    let fields: Vec<String> =
        rest.split(|&b| b == 0xFF).map(|f| String::from_utf8_lossy(f).into_owned()).collect();
    let pairs: Vec<TagValue> =
        fields.chunks(2).map(|c| TagValue::new(c[0].clone(), c.get(1).cloned().unwrap_or_default())).collect();

    let _ = validate_pairs(&pairs);
    match render_pairs(&pairs, &options) {
        Ok(xml) => assert_eq!(read_access_control(&xml).expect("own output parses"), pairs),
        Err(Error::UnrepresentableChar { ch, .. }) => assert!(!is_xml_char(ch)),
        Err(other) => panic!("unexpected error {other:?}"),
    }
});
