// The parameter registry's contents: included by `params.rs`. Defaults are the baseline's;
// each cites the passages it rests on as `NNN:L` (file number : line).

scalar_params! {
    /// The start state: how the population divides into classes, roles and communities.
    population: PopulationParams {
        migrant_worker_share: Real = 0.5, [0.0, 1.0], "Share of industrial workers who are recent migrants with village ties", ["000:241", "000:187"];
        urban_intelligentsia: Real = 0.25, [0.0, 1.0], "Share of the non-industrial town population that is intelligentsia and employees", ["000:187"];
        urban_bourgeoisie: Real = 0.12, [0.0, 1.0], "Share of the non-industrial town population that is bourgeois", ["000:187"];
        rural_nobility: Real = 0.008, [0.0, 0.1], "Share of the rural population that is landed nobility", ["000:183"];
        peasant_poor_share: Real = 0.55, [0.0, 1.0], "Share of peasants who are poor (the share: model assumption)", ["000:183", "model assumption"];
        peasant_kulak_share: Real = 0.12, [0.0, 1.0], "Share of peasants who are kulaks", ["004:35", "002:233"];
        village_size: Integer = 200, [10, 100000], "Agents per village community (one local soviet each)", ["000:237"];
        workplace_size: Integer = 60, [5, 100000], "Agents per factory, garrison, regiment or town community", ["000:237", "000:707"];
        crew_size: Integer = 4, [1, 100000], "Agents per ship's crew (each ship elects its deputies)", ["000:237"];
        established_worker_ties: Real = 0.1, [0.0, 1.0], "Village ties of established factory workers: how readily they flee to the villages when the towns stop feeding them", ["model assumption"];
        migrant_worker_ties: Real = 0.9, [0.0, 1.0], "Village ties of migrant factory workers", ["model assumption"];
        townspeople_ties: Real = 0.2, [0.0, 1.0], "Village ties of the towns' other people (intelligentsia, bourgeois, town workers)", ["model assumption"];
        soldier_ties: Real = 0.8, [0.0, 1.0], "Village ties of soldiers in the garrisons and at the front", ["model assumption"];
        sailor_ties: Real = 0.6, [0.0, 1.0], "Village ties of sailors", ["model assumption"];
    }
    /// The army of 1917: peasants in uniform at the fronts and in the rear garrisons.
    army: ArmyParams {
        front_millions: Real = 6.5, [0.0, 20.0], "Soldiers at the fronts in March 1917, millions", ["000:203", "001:121"];
        garrison_millions: Real = 1.5, [0.0, 10.0], "Soldiers in the rear garrisons, millions", ["001:121"];
        petrograd_garrison_share: Real = 0.12, [0.0, 1.0], "Share of the garrison troops stationed in Petrograd", ["000:229", "001:139-159"];
        sailors_thousands: Real = 80.0, [0.0, 500.0], "Sailors of the Baltic Fleet, thousands", ["model assumption"];
        kronstadt_share: Real = 0.35, [0.0, 1.0], "Share of the Baltic sailors based at Kronstadt", ["model assumption"];
        peasant_share: Real = 0.85, [0.0, 1.0], "Share of soldiers who are peasants by origin", ["000:404"];
        worker_share: Real = 0.6, [0.0, 1.0], "Share of the soldiers who are not peasants who are (migrant) workers; the rest are intelligentsia", ["model assumption"];
    }
    /// Hardship: the weight of each unmet need [DESIGN 3].
    hardship: HardshipParams {
        food_weight: Real = 0.55, [0.0, 2.0], "Hardship from food insecurity (1 - food security)", ["000:229", "002:113"];
        war_weight: Real = 0.45, [0.0, 2.0], "Hardship of a soldier at the front while the war goes on", ["000:203", "001:119-135"];
        home_war_weight: Real = 0.15, [0.0, 1.0], "Hardship of civilians from the war (losses, conscription)", ["000:203-205"];
        land_weight: Real = 0.3, [0.0, 2.0], "Hardship of land hunger, scaled by how much the class wants land", ["000:183", "000:245"];
        imposts_weight: Real = 0.25, [0.0, 2.0], "Hardship of villagers, and of peasant soldiers and sailors for their home villages, when the state takes their region's whole marketable surplus without paying (in proportion below that): what they would have sold for salt, cloth and tools, the \"intolerable imposts\" (calibrated with the 1920-21 risings)", ["002:109", "002:93-95", "003:113"];
        cold_weight: Real = 0.3, [0.0, 2.0], "Hardship of town people, soldiers and sailors in the depth of winter when no heating fuel reaches them (in proportion to the fuel missing and the cold)", ["000:205", "000:761"];
        village_cold_weight: Real = 0.1, [0.0, 2.0], "Hardship of villagers in the depth of winter as far as the factories no longer make the kerosene, cloth and boots they would buy (in proportion to the goods lacking and the cold); that the peasants lacked factory goods is the model's reading of \"cold\" and of grain paid in \"varicolored pieces of paper\"; calibrated with the 1920-21 risings (0.05, 0.1 and 0.3 tried)", ["002:109", "002:95", "model assumption"];
        unemployment_weight: Real = 0.4, [0.0, 2.0], "Hardship of unemployment for town workers", ["004:113"];
        adjust_rate: Real = 0.5, [0.0, 1.0], "Share of the gap to its target that hardship closes each week", ["model assumption"];
    }
    /// Legitimacy of the regime as each person sees it.
    legitimacy: LegitimacyParams {
        tsar_base: Real = 2.25, [-5.0, 5.0], "Baseline (log-odds) legitimacy of the Tsar: tradition and the Church, before his record on the issues. Fitted (validate's `february_fit`): high enough that the garrison obeys until the bread queues start the strikes, low enough that it then goes over", ["000:205", "000:229"];
        provisional_base: Real = 0.8, [-5.0, 5.0], "Baseline (log-odds) legitimacy of the Provisional Government", ["000:235", "000:259"];
        sovnarkom_base: Real = -0.5, [-5.0, 5.0], "Baseline (log-odds) legitimacy of Sovnarkom, before the banner it came to power under", ["000:301"];
        white_base: Real = 0.0, [-5.0, 5.0], "Baseline (log-odds) legitimacy of a White government among those it holds", ["001:155", "003:117"];
        poor_committee_weight: Real = 1.0, [0.0, 10.0], "Legitimacy (log-odds) poor peasants gain, and middle peasants and kulaks lose, from committees of poor peasants", ["002:99-101", "004:119-127"];
        assembly_dispersed: Flag = 0, [0, 1], "The Constituent Assembly has been dispersed (set by an event)", ["004:53-55", "001:171"];
        dispersal_cost: Real = 0.5, [0.0, 10.0], "Legitimacy (log-odds) the dispersal costs a peasant, times the distance of their home from the centres (0-1); the texts disagree on its size", ["004:53-55", "000:299"];
        fit_weight: Real = 3.0, [0.0, 20.0], "How much the regime's record on the issues a person cares about (their class's interests and their own) moves legitimacy", ["002:63", "000:217-223"];
        repression_weight: Real = 6.0, [0.0, 50.0], "Legitimacy lost per share of one's own class jailed", ["000:761", "003:103-105"];
        adjust_rate: Real = 0.15, [0.0, 1.0], "Share of the gap to its target that legitimacy closes each week", ["000:263"];
        confiscation_weight: Real = 0.25, [0.0, 50.0], "Legitimacy (log-odds) a peasant withdraws, beyond what any take costs, per normal year's marketable surplus the state took from their home region without paying for it", ["002:93-105", "004:127"];
        extraction_weight: Real = 6.0, [0.0, 50.0], "Legitimacy (log-odds) a peasant withdraws per share of their home region's harvest the state took this year", ["002:93-105", "000:107", "000:209"];
        lesser_evil_weight: Real = 2.0, [0.0, 20.0], "Legitimacy (log-odds) Sovnarkom gains among those who want land, while the White armies are in the field and could bring the landlords back (the lesser evil)", ["003:117", "001:155"];
        white_threat_scale: Real = 0.001, [0.0, 0.1], "White soldiers per head at which peasants fear the landlords' return in full (about 180,000 of the 1917 population); fewer, the less", ["003:117", "001:155"];
        soldier_peace_interest: Real = 0.6, [0.0, 2.0], "Extra weight soldiers and sailors put on peace", ["002:81", "000:245"];
        start: Real = 0.5, [0.0, 1.0], "Legitimacy everyone holds before the first week (March 1917); each week closes adjust_rate of the gap to the target", ["model assumption"];
        armistice_stand: Real = 0.5, [-1.0, 1.0], "The regime's stand on peace (-1 war, 1 peace) while an armistice holds", ["model assumption"];
        seizures_stand: Real = 0.2, [-1.0, 1.0], "The regime's stand on land (-1 the landlords', 1 the decree) while it tolerates seizures without a decree; the land hunger it leaves is (1 - stand) / 2", ["model assumption"];
        expectation_rate: Real = 0.02, [0.0, 1.0], "Weekly share of the gap to what the regime delivers that what people expect of it closes: what was delivered comes to be taken for granted (a new regime is expected to keep its parties' promises)", ["000:146", "000:217-223"];
        memory_weight: Real = 0.5, [0.0, 1.0], "Share of the regime's record on an issue judged against what people have come to expect of it rather than on its own", ["000:146", "000:217-223"];
        loss_aversion: Real = 2.0, [1.0, 10.0], "How much more a shortfall below what people expect weighs than a gain above it: broken promises weigh more than kept ones (model assumption, after Kahneman and Tversky)", ["model assumption"];
        sailor_liberty_interest: Real = 0.8, [0.0, 2.0], "Extra weight sailors put on political liberty (free soviet elections, press, speech): Kronstadt's demands", ["003:113"];
        party_repression_weight: Real = 1.0, [0.0, 10.0], "Legitimacy (log-odds) a person withdraws while the party they privately prefer is banned (half of it while harassed)", ["003:105", "000:753"];
    }
    /// October: how the insurrection is carried out.
    october: OctoberParams {
        in_soviets_name: Flag = 1, [0, 1], "The insurrection is made in the name of the Soviets (true) or of the party (false)", ["000:171", "000:665", "001:195-205"];
        banner_legitimacy: Real = 1.0, [0.0, 5.0], "Legitimacy (log-odds) Sovnarkom gains from coming to power in the Soviets' name", ["000:171", "000:195", "000:665"];
        red_guards: Flag = 0, [0, 1], "The Petrograd Soviet has armed the workers' Red Guards and formed its Military Revolutionary Committee (set by an event: the defence against Kornilov)", ["001:231", "000:679"];
        banner_fade: Real = 0.03, [0.0, 1.0], "Weekly share of the banner's legitimacy lost while soviet elections are managed: soviets that no longer elect freely are \"mere shells\"", ["003:107", "000:146"];
    }
    /// A general's march on the capital (Kornilov's, in August 1917): decided by force.
    coup: CoupParams {
        detachment: Real = 0.02, [0.0, 1.0], "Share of the soldiers and sailors a commander-in-chief detaches to march on the capital (Kornilov's Cossack corps); those who privately back a soviet party refuse to fight once told what the march is for", ["001:229", "001:233", "model assumption"];
        government_complicit: Flag = 1, [0, 1], "The government had a hand in its commander's march (Kerensky connived with Kornilov): if the march collapses, the people judge the government's stand on soviet power by it (-1) for as long as that regime lasts", ["000:269", "000:271"];
    }
    /// Party choice: a discrete (logit) choice among parties.
    allegiance: AllegianceParams {
        fit_weight: Real = 2.5, [0.0, 20.0], "Weight of program fit to the person's interests (their class's and their own)", ["002:63", "000:241"];
        social_weight: Real = 1.0, [0.0, 20.0], "Weight of the community's share holding each preference", ["000:263", "000:237", "model assumption"];
        organisation_weight: Real = 1.0, [0.0, 20.0], "Weight of a party's share of all party members (its agitators)", ["000:263-265"];
        government_penalty: Real = 2.5, [0.0, 20.0], "Penalty on parties in government, times the person's distrust of it (the coalition penalty)", ["000:263-279", "001:189"];
        inertia: Real = 1.0, [0.0, 20.0], "Bonus for the party one already prefers", ["model assumption"];
        soldier_politicisation: Real = 1.0, [0.0, 10.0], "How much less apolitical soldiers and sailors are once their committees exist (Order No. 1)", ["000:259", "001:163"];
        national_weight: Real = 1.5, [0.0, 20.0], "Pull of national parties on national minorities", ["000:251"];
        banned_penalty: Real = 1.0, [0.0, 20.0], "Penalty on a banned party (party.harassment of it for a harassed one)", ["000:269", "000:291"];
        apathy: Real = 1.5, [-5.0, 5.0], "Utility of no party preference", ["002:167"];
        temperature: Real = 0.5, [0.01, 10.0], "Logit temperature: noise in the choice", ["000:241"];
        reconsider_rate: Real = 0.08, [0.0, 1.0], "Weekly chance that a person reconsiders their party", ["model assumption"];
        affinity_weight: Real = 1.5, [0.0, 20.0], "Weight of a class's standing attachment to a party (the affinity table)", ["000:241", "000:277-281"];
        news_distance: Real = 0.6, [0.0, 1.0], "How much slower villagers far from the centres reconsider (slow news, illiteracy)", ["000:241"];
        volatile_multiplier: Real = 2.5, [1.0, 10.0], "Reconsideration multiplier for migrant workers, soldiers and sailors", ["000:241"];
        idiosyncrasy: Real = 0.5, [0.0, 10.0], "Spread (standard deviation, log-odds) of a person's own attachment to each party around their class's: people of one class differ, skilled workers only \"tended\" to the Mensheviks", ["000:241", "002:63"];
        interest_spread: Real = 0.3, [0.0, 2.0], "Spread (standard deviation) of a person's own interest in each issue around their class's (the interest table), so that people of one class judge the same programs and the same record differently (skilled workers only \"tended\" to the Mensheviks; most workers and peasants were \"indifferent to\" the Marxists' theorizing, though not to peace and land). The rule and its size are model assumptions", ["model assumption", "000:241", "002:63"];
        government_wear: Real = 0.05, [0.0, 1.0], "Weekly loss of a class's standing attachment to a party in government, per unit of the class's distrust of the government (1 - its mean legitimacy): the coalition discredits its parties for good, not only for a week", ["000:263", "000:271"];
    }
    /// Public vs private stance (Kuran's preference falsification).
    stance: StanceParams {
        harassed_risk: Real = 0.6, [0.0, 1.0], "Conviction needed to back a harassed party in public", ["000:269", "000:291"];
        banned_risk: Real = 0.7, [0.0, 1.0], "Conviction needed to back a banned party in public where coercion is at stance.coercion_scale and no one around speaks for it", ["003:105"];
        coercion_scale: Real = 0.004, [0.0001, 1.0], "Coercive force per head (police, Cheka, loyal troops) at which speaking for a persecuted party carries its base risk (the Tsar's police per head); the risk grows and falls with coercion in proportion (Kuran)", ["003:105", "000:761"];
        threshold_spread: Real = 0.5, [0.0, 1.0], "How far people differ in the risk they see in speaking out: each sees it times a factor drawn evenly between 1 - spread and 1 + spread (Kuran's heterogeneous thresholds)", ["model assumption"];
    }
    /// Open revolt: Epstein (2002) civil violence, per region.
    revolt: RevoltParams {
        threshold: Real = 0.35, [0.0, 1.0], "Threshold T of armed revolt (rising, mutiny in arms): active when G - R*P > T, Epstein's rule; costly, so higher than defiance's", ["000:229", "000:325"];
        defiance_threshold: Real = 0.2, [0.0, 1.0], "Threshold of public defiance (strike, demonstration, land seizure, refusing orders): defiant when G - defiance_risk*R*P > this, with P counted against the defiant crowd", ["000:229", "000:245"];
        village_leaders: Real = 0.02, [0.0, 1.0], "Share of a village's people, soldiers come home from an army with their rifles, at which its seizure of the estates and its rising are fully led (fewer lead them in proportion; the share is a model assumption)", ["000:245"];
        seizures_tolerated_share: Real = 0.5, [0.0, 1.0], "Share of the estate land seized, nationally, at which the Provisional Government, with no force to stop the seizures, tolerates them: once it has lost most of the countryside (the share is a model assumption; the baseline's seizures stay below it, and the government did nothing to resolve the land question [000:289])", ["000:245"];
        defiance_risk: Real = 1.0, [0.0, 1.0], "Share of the arrest risk of armed revolt that public defiance carries: a cheap act, safer the larger the crowd", ["000:229"];
        crisis_rounds: Integer = 7, [1, 14], "Rounds a week in which people see the crowd defying and decide again (days): a cascade of strikes can run its course within a week, as in February", ["000:229", "001:139-159"];
        meeting_share: Real = 0.5, [0.0, 1.0], "Share of a unit (factory, garrison, regiment, ship) inclined to act at which its meeting decides that all act together; below it, no one in the unit acts alone", ["000:229", "003:113"];
        hardship_spread: Real = 0.5, [0.0, 1.0], "How far people of one class and place differ in how hard they feel its hardship: each feels it times a factor drawn evenly between 1 - spread and 1 + spread (Epstein draws hardship per agent)", ["model assumption"];
        arrest_constant: Real = 2.3, [0.0, 20.0], "k in P = 1 - exp(-k C/A)", ["model assumption"];
        drop_weight: Real = 3.0, [0.0, 50.0], "Anger added to the grievance of public defiance (not of armed revolt, which needs a settled grievance) per unit of this week's fall in legitimacy", ["000:229", "001:139-159"];
        police_tsar: Real = 0.004, [0.0, 0.2], "Police and gendarmes per head under the Tsar", ["000:183", "000:229"];
        police_provisional: Real = 0.001, [0.0, 0.2], "Militia per head under the Provisional Government", ["000:259"];
        police_sovnarkom: Real = 0.003, [0.0, 0.2], "Red Guards and Cheka per head under Sovnarkom", ["000:761", "003:103-105"];
        red_army_weight: Real = 1.0, [0.0, 5.0], "Coercive weight of a Red soldier relative to a policeman (commissars, discipline)", ["002:135-139", "000:761"];
        armed_weight: Real = 0.5, [0.0, 5.0], "Coercive weight of a loyal soldier relative to a policeman", ["000:229"];
        rising_share: Real = 0.05, [0.0, 1.0], "Share of a village district's people in open revolt at which it counts as a peasant rising (the `risings` metric: a measure, not a rule). A twentieth: Tambov's forty to fifty thousand rebels (general history; the texts give no figure) were over a per cent of a province of three and a half million, and several per cent of the districts where they rose", ["001:149", "003:113"];
        defection_threshold: Real = 0.3, [0.0, 1.0], "Share of the capital's garrison in revolt at which the Tsar's regime falls", ["000:229", "001:139-159"];
    }
    /// Repression of those in open revolt, and the Cheka.
    repression: RepressionParams {
        threat_response: Real = 2.0, [0.0, 100.0], "How much the Cheka's target strength grows per unit of threat (rebels plus White soldiers per head)", ["003:103-105", "000:761"];
        cheka_growth: Real = 0.1, [0.0, 1.0], "Weekly share of the gap to its target the Cheka closes when it grows", ["003:103-105"];
        cheka_decay: Real = 0.005, [0.0, 1.0], "Weekly share of the gap it closes when the threat recedes: capacity outlives the threat", ["000:789", "003:105"];
        arrest_rate: Real = 0.05, [0.0, 1.0], "Weekly arrest chance of an active person per unit of C/A", ["000:229", "000:761"];
        jail_weeks: Integer = 8, [1, 520], "Weeks an arrested person stays jailed", ["model assumption"];
        lethality: Real = 0.02, [0.0, 1.0], "Share of the armed rebels arrested by those who may shoot them (the Tsar's forces, the Cheka) who are shot where there is a death penalty (under the Tsar, and under Sovnarkom once repression.death_penalty is restored)", ["000:761", "003:103-105"];
        death_penalty: Flag = 0, [0, 1], "Sovnarkom has restored the death penalty, which February abolished and October confirmed abolished (set by an event)", ["003:105"];
        hostage_rate: Real = 0.0, [0.0, 10.0], "Hostages taken a week per armed rebel of a community by those who may shoot them (the Cheka's share of the region's coercive force), from the community's people not in arms: \"the arrest and subsequent execution of innocent people as hostages\". Jailed like rebels, and shot at repression.lethality where the death penalty holds. Zero until the Red Terror sets it (0.001 in the baseline, fitted: at 0.002 repression's deaths rise above the low hundreds of thousands of repression_deaths); that they come from the rebels' own community, their families and neighbours, is a model assumption", ["000:761", "model assumption"];
        deterrence: Real = 0.3, [0.0, 1.0], "Risk aversion a prisoner gains by the time of release, up to 1: jail deters, so terms do not turn into a revolving door", ["000:761", "model assumption"];
    }
    /// The world war.
    war: WarParams {
        front_death_rate: Real = 0.002, [0.0, 0.1], "Weekly death rate of soldiers at the front while fighting", ["000:203"];
        offensive_multiplier: Real = 4.0, [1.0, 20.0], "Front death rate multiplier during an offensive", ["000:289"];
        desertion_base: Real = 0.001, [0.0, 0.1], "Weekly desertion chance of a front soldier", ["000:205"];
        desertion_grievance: Real = 0.01, [0.0, 0.5], "Extra weekly desertion chance per unit of grievance", ["000:245", "001:119-135"];
        land_pull: Real = 0.01, [0.0, 0.5], "Extra weekly desertion chance of a peasant soldier when all the estates at home are seized (or the land decreed theirs); in proportion to the share seized", ["000:245"];
        demobilisation_rate: Real = 0.05, [0.0, 1.0], "Weekly demobilisation chance of old-army soldiers once the war ends", ["004:65"];
    }
    /// Grain: harvest, stocks, procurement.
    grain: GrainParams {
        yield_per_head: Real = 1.15, [0.0, 5.0], "Harvest of a region at full sown area and yield 1, in years of food per rural head", ["model assumption"];
        harvest_week: Integer = 33, [0, 51], "Week of the year when the harvest comes in", ["model assumption"];
        sowing_week: Integer = 16, [0, 51], "Week of the year when spring sowing is decided", ["002:95"];
        start_stocks: Real = 0.5, [0.0, 2.0], "Peasants' stocks at the start (March 1917), in normal harvests", ["model assumption"];
        weather_sd: Real = 0.1, [0.0, 1.0], "Standard deviation of the yearly weather factor of a region", ["model assumption"];
        sowing_response: Real = 0.3, [0.0, 1.0], "Share of their land peasants stop sowing when the state took the whole of a normal year's marketable surplus without paying for it since the last harvest (in proportion below that): why grow grain to have it taken? (calibrated with the fall in sown area)", ["002:95", "001:147"];
        normal_extraction: Real = 0.15, [0.01, 1.0], "Share of the harvest peasants expect to sell or give up in a normal year (at least 0.01: what the state takes is measured against it, and at 0 legitimacy is NaN from the first week)", ["model assumption"];
        recovery_rate: Real = 0.2, [0.0, 1.0], "Yearly recovery of sown area toward 1916 when extraction is normal", ["001:127"];
        market_rate: Real = 0.04, [0.0, 1.0], "Weekly share of the marketable surplus sold on a free market", ["002:95"];
        goods_dependence: Real = 0.7, [0.0, 1.0], "How much peasants' sales (on the market or at the fixed prices of the monopoly) depend on industrial goods to buy", ["002:93-95"];
        monopoly_rate: Real = 0.03, [0.0, 1.0], "Weekly share of the surplus delivered at fixed prices", ["002:93-95"];
        requisition_rate: Real = 0.08, [0.0, 1.0], "Weekly share of visible stocks taken by food detachments", ["002:95", "002:103", "004:119-127"];
        quota_factor: Real = 2.8, [0.0, 10.0], "The razverstka: the food detachments' yearly quota, in years of the need of the government's towns and armies, allotted among the regions by their villages' surplus in a normal year (quotas were set by what the state wanted, not by what the villages could spare this year; calibrated with the 1921-22 famine and the risings of winter 1920-21)", ["002:95", "004:119-127"];
        requisition_reserve: Real = 0.3, [0.0, 1.0], "Share of the village's own needs that requisitioning leaves", ["004:119-127", "001:147"];
        detachment_rate: Real = 0.01, [0.0, 1.0], "Weekly chance that a convinced Bolshevik worker in a town leaves with a food detachment while grain is requisitioned", ["004:121", "004:119", "003:97"];
        detachment_weeks: Real = 26.0, [1.0, 520.0], "Mean weeks a food-detachment member spends in the villages before coming back", ["004:119-121"];
        poor_committee_boost: Real = 0.5, [0.0, 5.0], "Extra procurement, as a share, where committees of poor peasants search and confiscate", ["002:99-101"];
        tax_rate: Real = 0.02, [0.0, 1.0], "Weekly share of the surplus taken as a tax in kind", ["001:127"];
        hide_rate: Real = 0.02, [0.0, 1.0], "Weekly share of stocks peasants hide under monopoly or requisitioning", ["002:95"];
        town_foraging: Real = 0.3, [0.0, 1.0], "Share of their needs town people find outside the supply system however bad it gets (bagging trips to the villages, barter, allotments)", ["002:113", "model assumption"];
        black_market: Real = 0.3, [0.0, 1.0], "Weekly share of the villages' grain beyond their own needs that the bagmen bring to the towns, as far as the towns' unmet need and the freight the state's grain leaves allow", ["002:95", "004:113"];
        supply_recovery: Real = 0.1, [0.0, 1.0], "Weekly recovery of a town's supply after a shock", ["model assumption"];
        army_ration: Real = 1.0, [0.0, 3.0], "Grain an army agent needs relative to a civilian", ["model assumption"];
    }
    /// Industry, transport and the towns.
    industry: IndustryParams {
        adjust_rate: Real = 0.25, [0.0, 1.0], "Weekly share of the gap to its target that output closes: factories stop within weeks of running out of coal (calibrated with Petrograd's unemployment in spring 1918)", ["002:193", "004:95", "004:113"];
        railway_decay: Real = 0.01, [0.0, 0.5], "Weekly share of the remaining railway capacity lost while a war goes on (toward the three-quarters of lines unusable by 1921)", ["001:147", "000:205"];
        railway_repair: Real = 0.01, [0.0, 0.5], "Weekly share of the railways' damage mended in peace while industry works at its pre-war level (repairs need rails, engines and coal: at a fifth of pre-war output, a fifth as fast)", ["002:193", "001:147", "model assumption"];
        railway_patching: Real = 0.003, [0.0, 0.5], "Weekly share of the railways' damage mended in peace where grain and goods are traded freely (the market, or NEP's tax in kind), however little industry makes: private workshops and cooperatives patch engines and track. Without it a ruined industry and ruined railways hold each other down for good, though production rose again under NEP (the size is a model assumption)", ["001:127", "model assumption"];
        expectation_rate: Real = 0.05, [0.0, 1.0], "Weekly rate at which the food town people expect follows their supply: they leave towns that have stopped feeding them, not a passing shortage", ["002:107"];
        exodus_rate: Real = 0.045, [0.0, 1.0], "Weekly chance that a worker with village ties leaves for the village, per unit of the hunger they have come to expect (no text gives it: calibrated to the fall of Petrograd and Moscow)", ["002:107", "004:97-113"];
        tieless_flight: Real = 0.3, [0.0, 1.0], "Chance of leaving a hungry town for those without village ties, relative to those with", ["002:107", "002:193"];
        unemployment_push: Real = 0.01, [0.0, 1.0], "Weekly chance that an unemployed worker with village ties leaves for the village", ["002:107", "002:111"];
        return_rate: Real = 0.02, [0.0, 1.0], "Weekly chance that a worker who went back to the village returns to the factories, per share of their workforce the factories could employ beyond those at work (fuel and freight allow more than labour gives), where grain is traded freely (the market or a tax in kind), so the towns can be fed: under NEP 'the economy revived' and people came back to 'the re-establishment of normal life' (the rate is a model assumption)", ["002:227", "002:231", "001:127", "model assumption"];
    }
    /// Famine deaths.
    famine: FamineParams {
        death_rate: Real = 0.04, [0.0, 0.2], "Weekly death chance per person at zero food security (at a third of their needs for a year, about one in six die; the texts' famine killed five million of 36 million affected)", ["002:195", "003:95"];
        threshold: Real = 0.7, [0.0, 1.0], "Food security below which people go hungry: counted as affected by famine", ["002:113", "002:195"];
        subsistence: Real = 0.5, [0.0, 1.0], "Food security below which people start to die, faster the further below", ["002:113", "003:95"];
    }
    /// Soviets, factory committees, congresses and the Constituent Assembly.
    soviets: SovietParams {
        election_interval: Integer = 16, [1, 520], "Weeks between re-elections of a local soviet (recall makes them frequent)", ["000:237", "000:430"];
        factory_committee_interval: Integer = 3, [1, 520], "Weeks between re-elections of a factory committee", ["000:707"];
        peasant_vote_weight: Real = 0.2, [0.0, 1.0], "Weight of a peasant's vote at a Congress of Soviets relative to a worker's", ["004:43"];
        peasants_in_congress: Flag = 0, [0, 1], "Village soviets send delegates to the Congress of Soviets (from the merger of January 1918: general history)", ["004:43", "004:125", "001:171"];
        executive_quota: Real = 0.05, [0.0, 1.0], "Share of a soviet's seats a party needs to appoint its (equal) quota to the executive committee", ["000:430"];
        quorum: Real = 0.5, [0.0, 1.0], "Share of its founding members a soviet needs to go on holding elections", ["003:97-107", "004:97-123"];
        peace_vote_threshold: Real = 0.5, [-1.0, 1.0], "A party's line at a congress is to ratify a separate peace only if its stand on peace is above this", ["004:73-75"];
        old_army_gone: Real = 0.5, [0.0, 1.0], "A party for peace accepts a separate peace on the enemy's terms once the old army is down to this share of its March 1917 strength: 'The old army does not exist' (the share is a model assumption)", ["004:65", "002:81"];
        party_discipline: Real = 0.9, [0.0, 1.0], "Share of a party's congress delegates who vote for its line against the view of the soviets that sent them; the others abstain: minorities defer to the majority (the share is a model assumption)", ["004:75-77"];
        slate_premium: Real = 0.5, [0.0, 1.0], "Share of a region's delegation to a Congress of Soviets that goes to the largest party of its regional congress on top of its proportional share: each layer is elected by a majority of the one below (the share is a model assumption)", ["000:199", "000:430"];
        fixed_sr_lists: Flag = 1, [0, 1], "Constituent Assembly: Left SR voters vote the joint SR lists fixed before the split", ["001:169"];
    }
    /// Party membership.
    party: PartyParams {
        join_share: Real = 0.06, [0.0, 1.0], "Members per supporter, times the supporter's conviction", ["002:115", "001:237"];
        peasant_activism: Real = 0.2, [0.0, 1.0], "Relative membership rate of peasants", ["model assumption"];
        careerist_share: Real = 0.035, [0.0, 1.0], "Share of town workers and intelligentsia who in time join the ruling party for position, whatever they think", ["002:115", "003:107", "004:123"];
        careerist_rate: Real = 0.008, [0.0, 1.0], "Weekly rate at which careerists close the gap to that share, once sure the regime will last", ["002:115", "003:107"];
        careerist_wait: Real = 78.0, [0.0, 1000.0], "Weeks in power at which careerists join at half of careerist_rate: they come as they believe the regime will last", ["002:115", "003:107", "004:123"];
        underground_share: Real = 0.5, [0.0, 1.0], "Share of membership kept by a banned party", ["model assumption"];
        ban_erosion: Real = 0.01, [0.0, 1.0], "Weekly share of a banned party's underground organisation lost (arrests, exile, demoralisation): a ban erodes it over time, not at once", ["model assumption"];
        harassment: Real = 0.5, [0.0, 1.0], "How far harassment goes from legal (0) to banned (1): the share of allegiance.banned_penalty a harassed party pays, and how far its recruiting falls toward underground_share", ["model assumption"];
    }
    /// The civil war.
    civil_war: CivilWarParams {
        active: Flag = 0, [0, 1], "Civil war under way: set by the rule civil_war::break_out when a foreign army rises against Sovnarkom, cleared by civil_war::end_civil_war", ["001:153-155", "002:85-89"];
        whites_grant_land: Flag = 0, [0, 1], "The Whites leave the peasants the land they seized, and recruit among peasants who reject Sovnarkom (a what-if lever: the generals made no such concession)", ["001:155"];
        red_army: Flag = 0, [0, 1], "The Red Army exists and takes volunteers (set by an event)", ["004:99"];
        conscription: Flag = 0, [0, 1], "The Red Army conscripts (set by an event)", ["002:97", "002:139"];
        white_legitimacy: Real = 0.3, [0.0, 1.0], "Legitimacy of Sovnarkom below which the propertied and Cossacks join the Whites", ["002:85-87"];
        white_recruit_rate: Real = 0.003, [0.0, 1.0], "Weekly chance that such a person joins the Whites", ["002:85-87", "001:155"];
        red_volunteer_rate: Real = 0.005, [0.0, 1.0], "Weekly chance that a convinced Bolshevik worker volunteers", ["002:97", "004:99"];
        conscription_rate: Real = 0.0004, [0.0, 1.0], "Weekly conscription chance of a worker or peasant under Soviet control", ["002:97"];
        desertion_base: Real = 0.002, [0.0, 0.5], "Weekly desertion chance of a Red or White soldier", ["model assumption"];
        desertion_grievance: Real = 0.02, [0.0, 1.0], "Extra desertion per unit of grievance", ["model assumption"];
        harvest_desertion: Real = 2.0, [1.0, 10.0], "Desertion multiplier in harvest season (harvest_season_weeks either side of grain.harvest_week)", ["model assumption"];
        harvest_season_weeks: Integer = 7, [0, 26], "Weeks either side of grain.harvest_week that count as harvest season for desertion (weeks 26-40 with the baseline's harvest week)", ["model assumption"];
        combat_death_rate: Real = 0.01, [0.0, 0.2], "Weekly losses of a force facing an equal enemy; in proportion to the enemy's strength", ["model assumption"];
        rout_rate: Real = 0.05, [0.0, 1.0], "Most a force can lose in a week when it breaks before a stronger enemy", ["model assumption"];
        control_ratio: Real = 1.5, [1.0, 10.0], "Force ratio at which a side takes a contested region", ["model assumption"];
        red_reach_decay: Real = 0.6, [0.0, 1.0], "Share of the Red force lost to distance in the most remote region (lines of supply from the centre)", ["model assumption"];
        demobilisation_rate: Real = 0.02, [0.0, 1.0], "Weekly demobilisation chance of a Red soldier once the civil war is over (the Whites' remnant is beaten or evacuated at once)", ["model assumption"];
        white_formation_weeks: Integer = 26, [0, 520], "Weeks after the civil war begins in which the White armies form and take volunteers wherever they are; after that only while they hold a region", ["002:85-87", "001:155"];
        remnant_share: Real = 0.00055, [0.0, 0.1], "White soldiers per head below which, holding no region, the Whites are a beaten remnant and the civil war ends (100,000 of the 1917 population)", ["model assumption"];
        foreign_peace_share: Real = 0.6, [0.0, 1.0], "Share of the strength it invaded with below which a foreign army makes peace and leaves", ["001:155", "model assumption"];
        field_share: Real = 0.3, [0.0, 1.0], "Share of the Red Army in the field armies at the fronts; the rest hold the rear (garrisons, supply, labour)", ["model assumption"];
        mobilisation: Real = 1.0, [0.0, 10.0], "Extra share of the Red Army sent to the fronts per share of the people under the Whites (or, once the Whites hold no region, in the regions a foreign army invades)", ["model assumption"];
        foreign_aid: Real = 0.5, [0.0, 5.0], "White force multiplier from foreign aid, minus one", ["001:155"];
    }
    /// The nationalities of the empire's periphery and their secession.
    nations: NationsParams {
        secession_support: Real = 0.25, [0.0, 1.0], "Share of a region's living people openly backing the nationalists at which its national movement claims independence: a nation large and roused enough to stand on its own", ["000:251", "model assumption"];
        levy: Real = 0.01, [0.0, 1.0], "Share of a region's open nationalists that a national government puts under arms (about 150,000 in Ukraine in 1918, 64,000 in the north-west). It takes a region in the vacuum an occupier leaves where it outnumbers the other armed men there; the Reds take it back with civil_war.control_ratio times its strength, once the Whites hold no region", ["model assumption"];
    }
}

fn program_table() -> TableSpec {
    TableSpec {
        name: "program",
        rows: Party::ids(),
        columns: Issue::ids(),
        defaults: &[
            // peace land bread w.control soviets C.A. order liberty
            &[0.6, 0.7, 0.8, 0.9, 0.7, 0.4, -0.9, 0.5], // bolsheviks (before the April turn)
            &[0.8, 1.0, 0.6, 0.5, 0.8, 0.6, -0.8, 0.8], // left_srs
            &[0.1, 0.7, 0.4, 0.2, 0.3, 1.0, 0.0, 0.9], // srs
            &[0.2, 0.3, 0.5, 0.3, 0.4, 1.0, 0.2, 1.0], // mensheviks
            &[-0.8, -0.5, 0.2, -0.8, -0.8, 0.6, 0.8, 0.6], // kadets
            &[1.0, 1.0, 0.6, 1.0, 0.6, -0.5, -1.0, 1.0], // anarchists
            &[0.2, 0.5, 0.2, 0.0, -0.2, 0.8, 0.3, 0.5], // nationalists
            &[-1.0, -1.0, 0.2, -1.0, -1.0, -0.5, 1.0, -0.8], // monarchists
            &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], // none
        ],
        ranges: &[(-1.0, 1.0)],
        doc: "A party's stand on an issue, -1 against to 1 for",
        sources: &["000:215", "000:223", "000:277-281", "000:327-333", "002:63"],
    }
}

fn interest_table() -> TableSpec {
    TableSpec {
        name: "interest",
        rows: Class::ids(),
        columns: Issue::ids(),
        defaults: &[
            // peace land bread w.control soviets C.A. order liberty
            &[0.6, 0.1, 1.0, 0.8, 0.5, 0.4, -0.2, 0.8], // worker_established
            &[0.8, 0.6, 1.0, 0.8, 0.6, 0.2, -0.4, 0.5], // worker_migrant
            &[0.8, 1.0, 0.5, 0.0, 0.3, 0.4, -0.3, 0.2], // peasant_poor
            &[0.7, 1.0, 0.3, 0.0, 0.2, 0.5, 0.0, 0.3], // peasant_middle
            &[0.5, 0.6, 0.1, -0.3, 0.0, 0.6, 0.4, 0.3], // peasant_kulak
            &[0.4, 0.3, 0.1, -0.2, 0.1, 0.3, 0.5, 0.2], // cossack
            &[0.3, 0.3, 0.3, 0.2, 0.2, 1.0, 0.3, 1.0], // intelligentsia
            &[-0.3, -0.5, 0.2, -1.0, -0.8, 0.5, 1.0, 0.5], // bourgeoisie
            &[-0.5, -1.0, 0.0, -0.8, -1.0, 0.0, 1.0, -0.3], // nobility
        ],
        ranges: &[(-1.0, 1.0)],
        doc: "How much a class wants an issue won, -1 wants it lost to 1 wants it won",
        sources: &["000:183", "000:241", "002:29-31", "002:63", "002:81"],
    }
}

fn affinity_table() -> TableSpec {
    TableSpec {
        name: "affinity",
        rows: Class::ids(),
        columns: Party::ids(),
        defaults: &[
            // bolsh. left_sr  srs   mensh. kadets anarch. nation. monarch. none
            &[0.0, 0.0, 0.0, 1.0, 0.0, -0.5, 0.0, 0.0, -0.7], // worker_established
            &[0.5, 0.0, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0, -0.7], // worker_migrant
            &[0.0, 0.0, 1.2, 0.0, 0.0, -0.5, 0.0, 0.0, 0.3], // peasant_poor
            &[0.0, 0.0, 1.5, 0.0, 0.0, -0.5, 0.0, 0.0, 0.3], // peasant_middle
            &[0.0, 0.0, 1.0, 0.0, 0.5, -0.5, 0.0, 0.5, 0.3], // peasant_kulak
            &[0.0, 0.0, 0.3, 0.0, 0.5, -0.5, 0.0, 1.0, 0.3], // cossack
            &[0.0, 0.0, 0.5, 0.8, 1.0, -0.5, 0.0, 0.0, -0.7], // intelligentsia
            &[0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0, 0.5, 0.0],  // bourgeoisie
            &[0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 1.5, 0.0],  // nobility
        ],
        ranges: &[(-5.0, 5.0)],
        doc: "Standing attachment of a class to a party (log-odds), from years of organising: the SRs in the villages, the Mensheviks among skilled workers; the anarchists, \"too small and too poorly organized\", below the rest; the none column is how apolitical the class is",
        sources: &["000:241", "000:277-281", "000:215", "000:265"],
    }
}

fn region_table() -> TableSpec {
    TableSpec {
        name: "region",
        rows: Region::ids(),
        columns: RegionField::ids(),
        defaults: &[
            // population (M), urban share, industrial workers (M), cossack share,
            // national-minority share, grain yield (relative), distance from the centres (0-1),
            // share of the empire's fuel and raw materials (Donbass coal, Urals ore, oil)
            &[2.4, 1.0, 0.40, 0.0, 0.05, 0.0, 0.0, 0.0], // petrograd
            &[2.0, 1.0, 0.20, 0.0, 0.05, 0.0, 0.0, 0.0], // moscow
            &[30.0, 0.12, 1.00, 0.0, 0.05, 1.0, 0.2, 0.10], // central_industrial
            &[22.0, 0.10, 0.15, 0.0, 0.60, 1.0, 0.4, 0.02], // northwest_front
            &[32.0, 0.07, 0.20, 0.0, 0.05, 1.3, 0.4, 0.03], // black_earth
            &[22.0, 0.09, 0.15, 0.0, 0.25, 1.2, 0.6, 0.05], // volga
            &[12.0, 0.10, 0.40, 0.05, 0.20, 1.05, 0.7, 0.15], // urals
            &[13.6, 0.08, 0.10, 0.05, 0.10, 1.1, 1.0, 0.05], // siberia
            &[38.0, 0.12, 0.70, 0.0, 0.75, 1.4, 0.6, 0.45], // ukraine
            &[8.0, 0.10, 0.10, 0.45, 0.20, 1.3, 0.8, 0.15], // don_kuban
        ],
        // Population and workers in millions (at most the empire's largest region times one
        // and a half); shares and the distance are fractions, so 0-1 (an urban share of 10
        // would spawn ten times the people); the grain yield is relative to the empire's.
        ranges: &[
            (0.0, 60.0), // population
            (0.0, 1.0),  // urban_share
            (0.0, 60.0), // workers
            (0.0, 1.0),  // cossack_share
            (0.0, 1.0),  // minority_share
            (0.0, 5.0),  // grain_yield
            (0.0, 1.0),  // distance
            (0.0, 1.0),  // fuel
        ],
        doc: "Start state and geography of a region",
        sources: &["000:669", "000:187", "002:193", "004:67-69"],
    }
}
