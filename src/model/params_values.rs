// The parameter registry's contents: included by `params.rs`. Defaults are the baseline's;
// each cites the passages it rests on as `NNN:L` (file number : line).

scalar_params! {
    /// The allegiance core: hardship, legitimacy, party choice.
    allegiance: AllegianceParams {
        social_weight: Real = 0.3, [0.0, 1.0], "Weight of the community's shares in party choice", ["000:263"];
    }
}

const ISSUE_COLUMNS: &[&str] = &[
    "peace",
    "land",
    "bread",
    "workers_control",
    "soviet_power",
    "constituent_assembly",
    "order",
];

fn program_table() -> TableSpec {
    TableSpec {
        name: "program",
        rows: Party::ids(),
        columns: ISSUE_COLUMNS,
        defaults: &[
            // peace land bread w.control soviets C.A. order
            &[0.6, 0.7, 0.8, 0.9, 0.7, 0.4, -0.9],   // bolsheviks (before the April turn)
            &[0.8, 1.0, 0.6, 0.5, 0.8, 0.6, -0.8],   // left_srs
            &[0.1, 0.7, 0.4, 0.2, 0.3, 1.0, 0.0],    // srs
            &[0.2, 0.3, 0.5, 0.3, 0.4, 1.0, 0.2],    // mensheviks
            &[-0.8, -0.5, 0.2, -0.8, -0.8, 0.6, 0.8], // kadets
            &[1.0, 1.0, 0.6, 1.0, 0.6, -0.5, -1.0],  // anarchists
            &[0.3, 0.6, 0.3, 0.1, 0.0, 0.8, 0.0],    // nationalists
            &[-1.0, -1.0, 0.2, -1.0, -1.0, -0.5, 1.0], // monarchists
            &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],    // none
        ],
        min: -1.0,
        max: 1.0,
        doc: "A party's stand on an issue, -1 against to 1 for",
        sources: &["000:215", "000:223", "000:277-281", "000:327-333", "002:63"],
    }
}

fn interest_table() -> TableSpec {
    TableSpec {
        name: "interest",
        rows: Class::ids(),
        columns: ISSUE_COLUMNS,
        defaults: &[
            // peace land bread w.control soviets C.A. order
            &[0.6, 0.1, 1.0, 0.8, 0.5, 0.4, -0.2],  // worker_established
            &[0.8, 0.6, 1.0, 0.8, 0.6, 0.2, -0.4],  // worker_migrant
            &[0.8, 1.0, 0.5, 0.0, 0.3, 0.4, -0.3],  // peasant_poor
            &[0.7, 1.0, 0.3, 0.0, 0.2, 0.5, 0.0],   // peasant_middle
            &[0.5, 0.6, 0.1, -0.3, 0.0, 0.6, 0.4],  // peasant_kulak
            &[0.4, 0.3, 0.1, -0.2, 0.1, 0.3, 0.5],  // cossack
            &[0.3, 0.3, 0.3, 0.2, 0.2, 1.0, 0.3],   // intelligentsia
            &[-0.3, -0.5, 0.2, -1.0, -0.8, 0.5, 1.0], // bourgeoisie
            &[-0.5, -1.0, 0.0, -0.8, -1.0, 0.0, 1.0], // nobility
        ],
        min: -1.0,
        max: 1.0,
        doc: "How much a class wants an issue won, -1 wants it lost to 1 wants it won",
        sources: &["000:183", "000:241", "002:29-31", "002:63", "002:81"],
    }
}

const REGION_COLUMNS: &[&str] = &[
    "population",
    "urban_share",
    "workers",
    "cossack_share",
    "minority_share",
    "grain_yield",
    "distance",
];

fn region_table() -> TableSpec {
    TableSpec {
        name: "region",
        rows: Region::ids(),
        columns: REGION_COLUMNS,
        defaults: &[
            // population (M), urban share, industrial workers (M), cossack share,
            // national-minority share, grain yield (relative), distance from the centres (0-1)
            &[2.4, 1.0, 0.40, 0.0, 0.05, 0.0, 0.0], // petrograd
            &[2.0, 1.0, 0.20, 0.0, 0.05, 0.0, 0.0], // moscow
            &[30.0, 0.12, 1.00, 0.0, 0.05, 0.8, 0.2], // central_industrial
            &[22.0, 0.10, 0.15, 0.0, 0.60, 0.9, 0.4], // northwest_front
            &[32.0, 0.07, 0.20, 0.0, 0.05, 1.3, 0.4], // black_earth
            &[22.0, 0.09, 0.15, 0.0, 0.25, 1.2, 0.6], // volga
            &[12.0, 0.10, 0.40, 0.05, 0.20, 1.0, 0.7], // urals
            &[13.6, 0.08, 0.10, 0.05, 0.10, 1.1, 1.0], // siberia
            &[38.0, 0.12, 0.70, 0.0, 0.75, 1.4, 0.6], // ukraine
            &[8.0, 0.10, 0.10, 0.45, 0.20, 1.3, 0.8], // don_kuban
        ],
        min: 0.0,
        max: 60.0,
        doc: "Start state and geography of a region",
        sources: &["000:669", "000:187"],
    }
}
