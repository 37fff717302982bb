// The metric registry's contents: included by `metrics/mod.rs`. Every metric of the output
// contract, once: its family name, what it is indexed by, the groups it is measured for, its
// unit, when it is measured and what it is. Declaration order is the order of `revsim list
// metrics` and of ARCHITECTURE.md's table.

metric_registry! {
    SupportPrivate = "support.private", Party, [All, Classes, Roles, Regions], Share, Weekly,
        "share preferring each party (`none` included), in private";
    SupportPublic = "support.public", Party, [All, Classes, Roles, Regions], Share, Weekly,
        "share whose public stance is each party (`none` included)";
    SupportPublicSocialist = "support.public_socialist", None, [All, Classes, Roles, Regions], Share, Weekly,
        "share whose public stance is a socialist party";
    Legitimacy = "legitimacy", None, [All, Classes, Roles, Regions], Share, Weekly,
        "mean legitimacy of the regime, 0-1";
    Hardship = "hardship", None, [All, Classes, Roles, Regions], Share, Weekly,
        "mean hardship, 0-1";
    Active = "active", None, [All, Classes, Roles, Regions, CitySoviets], Share, Weekly,
        "share in armed revolt (rising, mutiny in arms); for a soviet, its constituents' share (Kronstadt's are its sailors)";
    Defiant = "defiant", None, [All, Classes, Roles, Regions, CitySoviets], Share, Weekly,
        "share defying the regime in public (striking, demonstrating, seizing land, refusing orders), armed rebels included; for a soviet, its constituents' share";
    Risings = "risings", None, [All, Regions], Count, Weekly,
        "village districts with `revolt.rising_share` of their people in armed revolt: peasant risings";
    SovietShare = "soviet.share", Party, [All, CitySoviets], Share, FromSoviets,
        "seats in all local soviets and in the city soviets";
    SovietExecutiveShare = "soviet.executive.share", Party, [PetrogradSoviet], Share, FromSoviets,
        "seats on the Petrograd Soviet's executive committee (party quota)";
    FactoryCommitteeShare = "factory_committee.share", Party, [All, PetrogradRegion], Share, FromSoviets,
        "seats in the factory committees";
    Members = "members", Member, [All, Regions], People, Weekly,
        "party members";
    Population = "population", None, [All, Regions], People, Weekly,
        "living people";
    PopulationUrban = "population.urban", None, [All, Regions], People, Weekly,
        "living people in the towns";
    FoodSecurity = "food.security", None, [All, Regions], Share, Weekly,
        "share of food needs met";
    Harvest = "harvest", None, [All, Regions], People, Weekly,
        "the last harvest, in a person's yearly needs";
    LandSeized = "land.seized", None, [All, Regions], Share, Weekly,
        "share of the estate land around the villages that their peasants have seized";
    SownArea = "sown_area", None, [All, Regions], Share, Weekly,
        "share of the 1916 area sown";
    Procurement = "procurement", None, [All, Regions], People, Weekly,
        "grain the state took this week, in a person's yearly needs";
    IndustryOutput = "industry.output", None, [All, Regions], Share, Weekly,
        "industrial output, 1913 = 1";
    WorkersIndustrial = "workers.industrial", None, [All, Regions], People, Weekly,
        "industrial workers in the towns";
    Unemployment = "unemployment", None, [All, Regions], Share, Weekly,
        "share of the industrial workers idle";
    Heating = "heating", None, [All, Regions], Share, Weekly,
        "share of the towns' heating fuel that reaches them";
    Strikers = "strikers", None, [All, Regions], People, Weekly,
        "industrial workers on strike (defying at work)";
    GarrisonSovietLoyalty = "garrison.soviet_loyalty", None, [All, Regions], Share, Weekly,
        "share of soldiers and sailors whose public stance is socialist";
    RedGuards = "red_guards", None, [All], People, Weekly,
        "Petrograd's Bolshevik workers under arms, once its Soviet has armed the Red Guards (0 before)";
    CoupTaken = "coup.taken", None, [All], Flag, Weekly,
        "1 once a general's march on the capital has taken it, 0 before (`coup::decide`)";
    CoupCollapsed = "coup.collapsed", None, [All], Flag, Weekly,
        "1 once a general's march on the capital has collapsed, 0 before (`coup::decide`)";
    RisingTaken = "rising.taken", None, [All], Flag, Weekly,
        "1 once a party's armed rising has taken the capital it rose in, 0 before (`coup::decide_rising`)";
    RisingFailed = "rising.failed", None, [All], Flag, Weekly,
        "1 once a party's armed rising has failed, 0 before (`coup::decide_rising`)";
    GarrisonBolshevik = "garrison.bolshevik", None, [All, Regions], Share, Weekly,
        "share of soldiers and sailors whose public stance is Bolshevik: units that follow a Bolshevik-led soviet";
    SovietVitality = "soviet.vitality", None, [All], Share, Weekly,
        "share of the elected soviets' founding members still there";
    ChekaStrength = "cheka.strength", None, [All], Share, Weekly,
        "the Cheka's coercive force per head";
    Railways = "railways", None, [All], Share, Weekly,
        "share of the start freight the railways can carry";
    FamineAffected = "famine.affected", None, [All], People, Weekly,
        "people below `famine.threshold`";
    DeathsFamine = "deaths.famine", None, [All], People, Weekly,
        "deaths from famine, cumulative";
    DeathsWar = "deaths.war", None, [All], People, Weekly,
        "deaths at war, cumulative";
    DeathsRepression = "deaths.repression", None, [All], People, Weekly,
        "deaths in repression, cumulative";
    ArmyOldSize = "army.old.size", None, [All], People, Weekly,
        "soldiers and sailors of the old army still in service";
    ArmyRedSize = "army.red.size", None, [All], People, Weekly,
        "soldiers of the Red Army";
    ArmyWhiteSize = "army.white.size", None, [All], People, Weekly,
        "soldiers of the White armies";
    ArmyForeignSize = "army.foreign.size", None, [All], People, Weekly,
        "soldiers of the foreign armies of intervention";
    FoodDetachments = "food_detachments", None, [All, Regions], People, Weekly,
        "people away in the food detachments, by the region they left";
    ArmyRedOrigin = "army.red.origin", Class, [All], Share, Weekly,
        "the Red Army's share from each class";
    DesertionRed = "desertion.red", None, [All], People, Weekly,
        "deserters from the Red Army, cumulative";
    Regime = "regime", Regime, [All], Flag, Weekly,
        "1 for the regime in power, 0 for the others";
    PolicyGrain = "policy.grain", GrainPolicy, [All], Flag, Weekly,
        "1 for the grain policy in force, 0 for the others";
    InGovernment = "government", Member, [All], Flag, Weekly,
        "1 for each party in the government, 0 for the others";
    Control = "control", Side, [All], Share, Weekly,
        "share of the people under each side";
    CongressStandingShare = "congress.standing.share", Party, [All], Share, FromSoviets,
        "delegates a Congress of Soviets convened this week would seat: who would hold it";
    CongressShare = "congress.share", Party, [Congresses], Share, AtEvent,
        "delegates to a Congress of Soviets, at its convening";
    PeasantCongressShare = "peasant_congress.share", Party, [Congresses], Share, AtEvent,
        "delegates to the Congress of Peasants' Soviets that meets alongside, while the peasants' soviets meet apart";
    CongressVotePeace = "congress.vote.peace", None, [Congresses], Share, AtEvent,
        "share of the votes cast at a congress for a separate peace: delegates vote their party's line or abstain";
    ElectionConstituent = "election.constituent", Member, [All, Classes, Regions], Share, AtEvent,
        "the Constituent Assembly vote: a secret ballot of private preferences";
}
