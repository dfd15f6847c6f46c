/**
 * Harbor Light Gazette (outlet 3, English, UTF-8). Fictional town: Larkspur Bay,
 * with Old Quay, Saltmarsh, North Ridge, Beacon Hill and Front Street; the
 * Larkspur Bay Marine Institute, North Ridge Observatory and Kestrel University.
 */
import type { ChannelKit } from './types.js';

const gscience: ChannelKit = {
  id: 'gscience',
  name: 'Science',
  description: 'Research, nature and discovery around Larkspur Bay',
  images: ['stars.png', 'harbor.png', 'leaf.png', 'chart.png', 'mountain.png', 'sunrise.jpg'],
  headings: ['How it works', 'What comes next', 'Why it matters', 'By the numbers'],
  background: [
    'Larkspur Bay sits where a cold offshore current meets the warmer water of the inner harbor, which makes it an unusually rich place to study the sea and the weather it brings.',
    'Projects like this one rely on long runs of careful measurement. A single season rarely tells the whole story, so researchers plan to keep collecting data for several years.',
    'Much of the work is done with modest equipment, and volunteers from the community play a large part in gathering observations.',
    'Researchers say the findings will be shared openly, so that schools and other groups can use the data in their own projects.',
    'Scientists caution that early results are encouraging but still need to be confirmed by independent measurements.',
  ],
  closing: [
    'The team expects to publish its full results next spring.',
    'Public talks about the project are planned at the Saltmarsh library over the winter.',
    'Readers who want to take part can sign up through the institute’s volunteer program.',
    'The next round of fieldwork begins in March.',
    'The Gazette will follow the project as it develops.',
  ],
  stories: [
    {
      title: 'Marine institute tags first basking sharks in Larkspur Bay',
      lead: 'Researchers at the Larkspur Bay Marine Institute have fitted satellite tags to two basking sharks, the first time the gentle plankton-eaters have been tracked from the bay.',
      detail:
        'The tags will record depth and water temperature for six months before floating to the surface and sending their data home. The sharks, each about six meters long, were tagged from a small boat without being lifted out of the water.',
      who: 'Dr. Imogen Farrow, who leads the institute’s shark program',
      quote:
        'We see them every summer, but we have no idea where they spend the winter. These tags should finally tell us',
    },
    {
      title: 'North Ridge Observatory spots a new variable star',
      lead: 'An astronomer at the North Ridge Observatory has identified a star whose brightness rises and falls every nineteen hours, a pattern nobody had recorded before.',
      detail:
        'The star was found while the observatory’s small robotic telescope was checking a patch of sky for asteroids. Follow-up observations over three weeks confirmed the regular pulse, which suggests two stars orbiting each other very closely.',
      who: 'Hal Brenner, the observatory’s night manager',
      quote:
        'It was hiding in plain sight. Our telescope happened to look at the right patch of sky on enough nights in a row',
    },
    {
      title: 'Kelp forest survey finds steady recovery along the outer reef',
      lead: 'Divers surveying the kelp forest along the bay’s outer reef found the densest growth in fifteen years, continuing a slow recovery that began after a run of cooler summers.',
      detail:
        'The survey team counted kelp stalks along fixed lines on the seabed, the same method used since the first survey in the 1990s. Sea urchin numbers, which can strip a reef bare, were lower than in any recent year.',
      who: 'Lena Okafor, a diver with the survey team',
      quote:
        'Swimming through it now feels like walking through a wood. Ten years ago it looked like a lawn after a drought',
    },
    {
      title: 'Students build a seismometer from spare parts',
      lead: 'A group of students at Saltmarsh High School has built a working seismometer from a salvaged speaker magnet, a coil of copper wire and a microcontroller.',
      detail:
        'The instrument sits on a concrete block in the school basement and sends readings to a web page the students wrote themselves. Last month it clearly recorded a small earthquake more than three hundred kilometers away.',
      who: 'Noor Haddad, a senior who wrote most of the software',
      quote:
        'When the wiggly line showed up on the screen at the same time as the official report, we all started shouting',
    },
    {
      title: 'Tidal power test turbine passes its first winter month',
      lead: 'A small test turbine anchored in the channel off Kestrel Point has come through its first month of winter storms without damage, its operators said.',
      detail:
        'The turbine, which turns as the tide flows in and out, produces enough electricity to power about forty homes. Engineers are watching closely for wear on the blades and for any effect on fish moving through the channel.',
      who: 'Sam Ortega, the project’s lead engineer',
      quote:
        'Winter is the real test. If it survives until spring, we will have learned most of what we set out to learn',
    },
    {
      title: 'Citizen scientists count 41 species in the annual moth survey',
      lead: 'Volunteers running light traps in their back gardens recorded forty-one species of moth during this year’s Larkspur Bay moth night, three more than last year.',
      detail:
        'Each trap uses a gentle lamp to attract moths into an egg box, where they rest until they are counted and released in the morning. Two species were recorded in the area for the first time.',
      who: 'Peggy Lindqvist, who organizes the survey',
      quote:
        'People are always surprised by how beautiful moths are once you look closely. Some of them look like bits of tree bark',
    },
    {
      title: 'Kestrel University lab grows algae for biodegradable packaging',
      lead: 'Chemists at Kestrel University are growing seaweed-like algae in tanks on the roof of their building and turning it into a clear film that breaks down in garden compost.',
      detail:
        'The film can wrap sandwiches and small parts, and it dissolves in about eight weeks in a compost heap. The team is now working on making it stronger and more resistant to moisture.',
      who: 'Professor Aditi Rao, who leads the lab',
      quote:
        'The algae grow quickly, need no farmland and take up carbon as they grow. The hard part is making the film behave like plastic',
    },
    {
      title: 'Why the bay’s fog arrived late this year',
      lead: 'The thick sea fog that usually rolls into Larkspur Bay in early autumn came almost three weeks late this year. Meteorologists say warm water offshore is the most likely reason.',
      detail:
        'Fog forms when moist air moves over cold water and cools to the point where its water vapor condenses. This year the offshore current stayed warmer for longer, delaying the temperature contrast the fog needs.',
      who: 'Tessa Moreau, a forecaster at the regional weather office',
      quote: 'Fog is a bit like a recipe. If one ingredient is missing, you simply do not get the dish',
    },
    {
      title: 'Ancient forest stumps revealed by low spring tides',
      lead: 'Unusually low tides this month uncovered the stumps of a forest that stood on the shore of Saltmarsh Cove thousands of years ago, before sea levels rose.',
      detail:
        'Dozens of dark stumps, some still rooted, appeared on the mudflats for about an hour at low water. Researchers took small samples to date the wood and identify the tree species.',
      who: 'Dr. Bruno Kessler, a geologist at Kestrel University',
      quote: 'It is a reminder that the coastline we know is only one frame in a very long film',
    },
    {
      title: 'Robotic glider maps ocean temperatures off Larkspur Bay',
      lead: 'A yellow underwater glider the size of a surfboard has spent the past month crisscrossing the waters off Larkspur Bay, measuring temperature and saltiness from the surface to the seabed.',
      detail:
        'The glider has no propeller. It changes its buoyancy to sink and rise, and its wings turn that motion into forward movement. Every few hours it surfaces to send its data by satellite.',
      who: 'Ines Barros, a technician at the marine institute',
      quote: 'It works day and night, in any weather, and it never gets seasick',
    },
    {
      title: 'Researchers test quieter hull coatings to help whales hear',
      lead: 'Scientists at the marine institute are testing hull coatings that reduce the noise ships make as they move through the water, which can drown out the calls whales use to find each other.',
      detail:
        'Two harbor workboats were painted with different experimental coatings, and underwater microphones record them as they pass. Early recordings show one coating cutting noise in some frequencies by almost half.',
      who: 'Dr. Kofi Mensah, an acoustics researcher',
      quote:
        'The ocean is a world of sound. If we can make our boats a little quieter, that world gets a lot less crowded',
    },
    {
      title: 'Meteor shower peak expected under clear skies',
      lead: 'Forecasters expect clear skies on the night the year’s best meteor shower reaches its peak, and the North Ridge Observatory will open its grounds to the public.',
      detail:
        'Under a dark sky, watchers may see up to one meteor a minute after midnight. No telescope is needed: the best view comes from lying back and taking in as much of the sky as possible.',
      who: 'Hal Brenner of the North Ridge Observatory',
      quote: 'Bring a blanket, a warm drink and some patience. Give your eyes twenty minutes to get used to the dark',
    },
    {
      title: 'Soil scientists study how rooftop gardens hold rainwater',
      lead: 'A study of twelve rooftop gardens in Larkspur Bay has found that they can hold back more than half of the rain that falls on them during a typical storm.',
      detail:
        'Sensors under the soil measured how much water drained off each roof and how quickly. Gardens with deeper soil and more plants held the most water and released it slowly over the following day.',
      who: 'Dr. Maya Lindgren, who led the study',
      quote:
        'Every liter a roof holds back is a liter that does not rush into the storm drains at the worst possible moment',
    },
    {
      title: 'New microscope lets schoolchildren watch plankton live',
      lead: 'The Saltmarsh library has installed a microscope connected to a large screen, so visitors can watch living plankton from the harbor swimming, feeding and spinning.',
      detail:
        'Each morning a volunteer collects a fresh sample of harbor water with a fine net. Children can move the slide themselves and take pictures of anything unusual they find.',
      who: 'Ruth Calloway, the library’s science volunteer',
      quote: 'A single drop of harbor water is a whole zoo. The children never want to leave',
    },
    {
      title: 'Study finds city bees prefer native wildflowers',
      lead: 'Bees in Larkspur Bay’s parks and gardens visit native wildflowers far more often than ornamental flowers, according to a two-year study by Kestrel University.',
      detail:
        'Researchers watched flower patches in forty gardens and counted every bee visit. Native plants such as sea thrift and wild marjoram drew up to four times as many visits as popular garden varieties.',
      who: 'Dr. Elsie Warrender, an ecologist on the study',
      quote: 'You do not need a big garden to help. A single pot of the right flowers makes a difference',
    },
    {
      title: 'Fossil shell bed near Beacon Hill dated to three million years',
      lead: 'A layer of fossil shells exposed in a road cutting near Beacon Hill is about three million years old, much older than geologists had assumed.',
      detail:
        'The shells belong to species that lived in warm, shallow seas. Their age was worked out from the chemistry of the shells and from tiny fossils in the surrounding sand.',
      who: 'Dr. Bruno Kessler of Kestrel University',
      quote:
        'Three million years ago this hill was a warm sandy seabed. The shells tell us what the bay might look like in a warmer world',
    },
    {
      title: 'Weather balloon program celebrates its 1,000th launch',
      lead: 'The Larkspur Bay weather station released its one-thousandth weather balloon this week, marking twenty years of twice-weekly launches.',
      detail:
        'Each balloon carries a small instrument package that measures temperature, humidity and wind as it climbs to more than thirty kilometers before bursting. The readings go straight into the forecasts used by sailors and farmers.',
      who: 'Gus Pemberton, who has launched more than half of the balloons himself',
      quote: 'Every launch is still a little bit exciting. You let go, and it disappears into the sky with the data',
    },
    {
      title: 'Harbor sediment cores reveal two centuries of storms',
      lead: 'Mud cores drilled from the bottom of Larkspur Bay’s inner harbor hold a record of major storms stretching back about two hundred years, researchers have found.',
      detail:
        'Big storms wash coarse sand into the harbor, leaving pale bands in the otherwise dark mud. By counting and dating the bands, the team identified twenty-three major storms, including several known from old newspaper reports.',
      who: 'Dr. Hana Sorensen, a coastal scientist',
      quote: 'The harbor has been keeping a diary all along. We just needed to learn how to read it',
    },
    {
      title: 'Volunteer divers log record seahorse sightings',
      lead: 'Volunteer divers recorded more seahorses in Larkspur Bay this year than in any year since their survey began a decade ago.',
      detail:
        'The divers swim slow, careful routes through the seagrass beds near Old Quay and note the size and location of every seahorse they find. This year they counted ninety-two, compared with thirty in the first year.',
      who: 'Marco Delgado, the survey coordinator',
      quote: 'Seahorses are masters of hiding. Every one we find feels like a small victory',
    },
    {
      title: 'Sunlight-powered desalination prototype sets an efficiency mark',
      lead: 'Engineers at Kestrel University have built a table-sized device that turns seawater into drinking water using only sunlight, producing more water per square meter than earlier designs.',
      detail:
        'The device uses a dark, porous material that soaks up seawater and heats it in the sun. The vapor condenses on a cool glass cover, and the salt is washed back out so the material does not clog.',
      who: 'Dr. Rafael Amari, who led the project',
      quote: 'It needs no batteries and no pumps. You put it in the sun, and clean water drips out',
    },
    {
      title: 'Photo club hangs its winter gallery at the harbor library',
      lead: 'The Larkspur Bay Photo Club has opened its winter exhibition in the reading room of the harbor library, with forty prints of fog, gulls and the old lighthouse.',
      detail:
        'Members shot the pictures over two seasons, many of them before sunrise from the breakwater. The library will keep the show up until the end of February and plans to move a selection to the ferry terminal afterwards.',
      who: 'Rosa Linden, the club’s exhibition secretary',
      quote:
        'Half of our members had never printed a photograph before this project. Seeing their work on a wall changed how they shoot',
      // The demo origin serves these test images in awkward ways (see src/demo/special-images.ts):
      // WebP, GIF, an SVG with a script, a pixel bomb, HTML posing as a JPEG, a 404 and a slow one.
      gallery: [
        { image: 'test/lighthouse.webp', caption: 'The old lighthouse in the first snow. (WebP)' },
        { image: 'test/gulls.gif', caption: 'Gulls over the breakwater. (GIF)' },
        { image: 'test/notes.svg', caption: 'A hand-drawn map of the walk. (SVG with a script: never served as is)' },
        { image: 'test/panorama.png', caption: 'A panorama far too large to mirror. (pixel bomb)' },
        { image: 'test/broken.jpg', caption: 'A picture whose server sends a web page instead. (HTML posing as JPEG)' },
        { image: 'test/missing.jpg', caption: 'A picture that is gone. (404)' },
        { image: 'test/slow.jpg', caption: 'Morning fog over the harbor. (slow server)' },
        { image: 'ferry.png', caption: 'The ferry, also shown in other articles. (stored once)' },
      ],
    },
  ],
};

const glocal: ChannelKit = {
  id: 'glocal',
  name: 'Local',
  description: 'Life, places and people in Larkspur Bay',
  images: ['ferry.png', 'market.jpg', 'city.png', 'harbor.png', 'lantern.png', 'field.jpg'],
  headings: ['What changes', 'What residents say', 'What happens next', 'Getting there'],
  background: [
    'Larkspur Bay has grown steadily over the past decade, and residents have been asking for more places to meet, play and get around without a car.',
    'The project was paid for partly through the town’s small improvements fund, which sets aside money each year for neighborhood ideas.',
    'Old Quay, the oldest part of town, has seen many of its warehouses turned into workshops, cafés and community spaces in recent years.',
    'Several residents said they first heard about the plan at a neighborhood meeting and were glad to see it finished so quickly.',
    'Town staff said they would gather feedback over the coming months and make adjustments if needed.',
  ],
  closing: [
    'More details are available at the town hall information desk.',
    'Residents with questions can attend the next neighborhood meeting at the Saltmarsh library.',
    'The Gazette will report on how the changes work out.',
    'Volunteers are still welcome to sign up.',
    'Organizers say they hope to make it a yearly event.',
  ],
  stories: [
    {
      title: 'Harbor ferry schedule changes for the winter season',
      slug: 'harbor-ferry-schedule-changes',
      lead: 'The Larkspur Bay harbor ferry switches to its winter timetable on Monday, with fewer crossings in the middle of the day and an earlier last boat from Kestrel Point.',
      detail:
        'The first boat still leaves Old Quay at 6:45, but midday crossings drop from every thirty minutes to every hour. The last return sailing from Kestrel Point moves from 22:30 to 21:15 until the end of March.',
      who: 'Janet Ellery, operations manager for the ferry service',
      quote:
        'Winter ridership falls by almost half, and the crews need time for maintenance. We kept the commuter sailings exactly as they are',
      table: {
        caption: 'Winter ferry timetable, Old Quay to Kestrel Point',
        header: ['Period', 'First boat', 'Frequency', 'Last boat'],
        rows: [
          ['Weekdays', '6:45', 'Every 30 min at peak, hourly midday', '20:45'],
          ['Saturdays', '8:00', 'Hourly', '20:45'],
          ['Sundays', '9:00', 'Hourly', '19:45'],
        ],
      },
      edition2: {
        title: '[Updated] Harbor ferry schedule changes for the winter season',
        updated: '2026-11-23T16:30:00Z',
        detail:
          'After complaints from evening commuters, the ferry service has restored a later sailing: the last return boat from Kestrel Point will now leave at 22:00, not 21:15 as first announced. Midday crossings still drop to one an hour until the end of March.',
        added:
          'Update, November 23: the ferry service said the 22:00 sailing will run on weekdays only, and it will review Saturday evening demand in January.',
        table: {
          caption: 'Winter ferry timetable, Old Quay to Kestrel Point (revised)',
          header: ['Period', 'First boat', 'Frequency', 'Last boat'],
          rows: [
            ['Weekdays', '6:45', 'Every 30 min at peak, hourly midday', '21:30'],
            ['Saturdays', '8:00', 'Hourly', '20:45'],
            ['Sundays', '9:00', 'Hourly', '19:45'],
          ],
        },
      },
    },
    {
      title: 'Old Quay bakery celebrates 75 years with free bread rolls',
      lead: 'The Anchor Bakery on Old Quay marked its seventy-fifth birthday on Saturday by handing out free bread rolls to everyone who came through the door.',
      detail:
        'The line stretched past the fish market by eight in the morning. The bakery still uses the same brick oven installed when it opened, and the founder’s granddaughter now runs the business.',
      who: 'Rosa Tillman, the bakery’s owner',
      quote: 'My grandmother always said bread is for sharing. Today we shared about three thousand rolls',
    },
    {
      title: 'Saltmarsh library reopens after roof repairs',
      lead: 'The Saltmarsh library reopened on Tuesday after three months of roof repairs, with a brighter reading room and a new corner for teenagers.',
      detail:
        'Workers replaced the leaking roof and added skylights over the main reading room. While the building was closed, staff ran a pop-up library from a converted bus that visited schools and the harbor.',
      who: 'Librarian Clara Boone',
      quote: 'We missed our regulars. Several of them came in this morning and went straight to their usual chairs',
    },
    {
      title: 'Larkspur Bay farmers market moves indoors for winter',
      lead: 'The Saturday farmers market is moving into the old rope warehouse on Old Quay for the winter, giving stallholders shelter from the wind and rain.',
      detail:
        'Around thirty stalls will sell vegetables, cheese, honey, fish and baked goods. The warehouse has been fitted with better lighting, and a small café corner will serve soup made from the market’s own produce.',
      who: 'Market manager Dev Patel',
      quote: 'Last winter we lost half our stalls to the weather. Now everyone can stay all season',
    },
    {
      title: 'Beacon Hill park to be named after a retired teacher',
      lead: 'Residents of Beacon Hill have chosen to name their new neighborhood park after Eleanor Voss, who taught at the local primary school for thirty-eight years.',
      detail:
        'More than six hundred residents took part in the naming vote, which was run at the school and online. Mrs. Voss, now ninety, is expected to cut the ribbon at the opening next month.',
      who: 'Former pupil Gareth Lyle, who suggested the name',
      quote: 'Half the people who voted were taught by her. She taught me to read, and she taught my daughter too',
    },
    {
      title: 'Annual harbor photo contest opens for entries',
      lead: 'The Harbor Light Gazette’s annual photo contest is now open, and this year’s theme is “Working Waterfront.”',
      detail:
        'Entries can show anyone or anything that keeps the harbor running, from fishing crews to crane operators and café owners. Winning photos will be printed in the paper and shown at the Saltmarsh library.',
      who: 'Photo editor Tomas Quill',
      quote: 'We want pictures of people at work, not just pretty sunsets. Although a good sunset never hurts',
    },
    {
      title: 'New protected bike lanes planned for Front Street',
      lead: 'Front Street will get protected bike lanes on both sides next spring, separated from traffic by a low curb and a row of planters.',
      detail:
        'The lanes will run from the ferry terminal to the railway station, a distance of about two kilometers. Parking will be moved to side streets, and three new crossings will be added for pedestrians.',
      who: 'Town engineer Priya Nandakumar',
      quote: 'Front Street is the spine of the town. It should be safe for a ten-year-old on a bike',
    },
    {
      title: 'Lighthouse keeper’s cottage to become a visitor center',
      lead: 'The empty keeper’s cottage beside the Kestrel Point lighthouse will be restored and turned into a small visitor center, opening next summer.',
      detail:
        'The stone cottage has been unoccupied since the lighthouse was automated. Plans include a room about the keepers who lived there, a display of old lenses and a small shop run by volunteers.',
      who: 'Historian Agnes Whitcombe, who led the campaign',
      quote: 'The keepers’ stories deserve to be told in the place where they lived them',
    },
    {
      title: 'Snowplow naming contest returns with a nautical theme',
      lead: 'Children in Larkspur Bay are invited to name the town’s four snowplows again this winter, and this year every name must have something to do with the sea.',
      detail:
        'Last year’s winners included “Sir Scrapes-a-Lot” and “Plowy McPlowface.” Entries will be judged by a panel of road crew members, and the winning names will be painted on the plows’ blades.',
      who: 'Road crew supervisor Lou Hartigan',
      quote:
        'The crews love it. It is hard to be grumpy at five in the morning when you are driving a plow called Captain Slush',
    },
    {
      title: 'High school robotics team heads to regional finals',
      lead: 'The Saltmarsh High School robotics team has qualified for the regional finals for the first time, after its robot won every match at last weekend’s qualifying event.',
      detail:
        'The team of fourteen students built the robot in six weeks, working evenings in the school’s technology room. Their robot stacks foam blocks faster than any other machine in the competition.',
      who: 'Team captain Ava Mbeki',
      quote: 'We broke the arm twice during practice. Both times we fixed it and made it better',
    },
    {
      title: 'Night market lights up Old Quay for the first time',
      lead: 'Hundreds of lanterns lit up Old Quay on Friday evening for the town’s first night market, with food stalls, live music and craft sellers lining the waterfront.',
      detail:
        'The market ran from six until eleven, and organizers estimated that about four thousand people came. Several stalls sold out of food by nine, and a local brass band played until closing.',
      who: 'Organizer Mei Lin Hart',
      quote: 'We hoped a few hundred people would come. When I saw the crowd, I almost cried',
    },
    {
      title: 'Community fridge project marks its first year',
      lead: 'The community fridge outside the Saltmarsh library turned one this week. Over the year, residents and shops have left about twelve tonnes of food in it for anyone to take.',
      detail:
        'Volunteers check the fridge twice a day, clean it and remove anything past its date. Local bakeries drop off unsold bread in the evening, and gardeners bring extra vegetables in summer.',
      who: 'Volunteer coordinator Bea Santos',
      quote: 'It is not charity. It is neighbors sharing what they have too much of',
    },
    {
      title: 'Painted fish on storm drains remind residents the sea starts here',
      lead: 'Volunteers have painted bright fish next to two hundred storm drains around Larkspur Bay, with the words “The sea starts here.”',
      detail:
        'The drains carry rainwater straight into the harbor, along with anything washed in from the street. The paintings are meant to remind people not to pour paint, oil or litter down them.',
      who: 'Art teacher Olu Adebayo, who designed the fish',
      quote: 'People stop and look at the fish. Then they think about where the water goes',
    },
    {
      title: 'Larkspur Bay Symphony announces free harbor concert',
      lead: 'The Larkspur Bay Symphony will give a free open-air concert on the harbor steps next month, its first outdoor performance in five years.',
      detail:
        'The program includes sea-themed pieces and a new work by a local composer written especially for the evening. Listeners are encouraged to bring blankets and arrive early.',
      who: 'Conductor Felix Aranda',
      quote: 'Music should not only live in concert halls. The harbor has wonderful acoustics when the wind is calm',
    },
    {
      title: 'Volunteers restore a 1920s carousel',
      lead: 'A group of volunteers has finished restoring the carousel that once stood on the Larkspur Bay pier, and it will spin again in the town square this weekend.',
      detail:
        'The carousel had been stored in pieces in a barn for forty years. Volunteers spent three years repairing its wooden horses, repainting them by hand and rebuilding the motor.',
      who: 'Restoration team leader Walt Kimura',
      quote: 'Some of the people who rode it as children are now helping to paint it',
    },
    {
      title: 'Rescue swimmers train in cold water ahead of winter',
      lead: 'The Larkspur Bay volunteer rescue team spent Sunday morning practicing rescues in the chilly water off Saltmarsh beach, preparing for the winter season.',
      detail:
        'Swimmers in drysuits practiced reaching people in the water, towing them to shore and lifting them onto a rescue board. The water temperature was eleven degrees.',
      who: 'Rescue team captain Dana Whitlock',
      quote: 'Cold water changes everything. You have to practice in it, because that is where real rescues happen',
    },
    {
      title: 'Local chess club draws players from 8 to 88',
      lead: 'The Old Quay chess club has doubled in size this year, and its weekly meetings now bring together players as young as eight and as old as eighty-eight.',
      detail:
        'The club meets on Thursday evenings in the back room of a café. Experienced players run a beginners’ table, and anyone can join a game without signing up.',
      who: 'Club founder Arthur Penhaligon',
      quote: 'The board does not care how old you are. Last week an eight-year-old beat me fair and square',
    },
    {
      title: 'Harbor cleanup collects 600 kilograms of debris',
      lead: 'More than two hundred volunteers collected about six hundred kilograms of debris from the shore and shallow water of the inner harbor on Saturday.',
      detail:
        'Volunteers in kayaks gathered floating rubbish while others worked along the tideline. Old fishing rope, plastic bottles and a shopping cart were among the finds.',
      who: 'Organizer Kit Fairweather',
      quote: 'Every year the pile is a little smaller. That is the best sign we could ask for',
    },
    {
      title: 'New footbridge links North Ridge to the waterfront trail',
      lead: 'A new footbridge across the railway line now connects the North Ridge neighborhood to the waterfront trail, cutting a twenty-minute detour to five minutes.',
      detail:
        'The bridge is made of weathering steel and has gentle ramps at both ends, so people with strollers and wheelchairs can use it. Lights along the railings come on automatically at dusk.',
      who: 'North Ridge resident Sofia Brandt',
      quote: 'My children can now walk to the beach on their own. It has changed our whole neighborhood',
    },
    {
      title: 'Library launches a seed lending shelf',
      lead: 'The Saltmarsh library has started lending seeds. Gardeners can borrow a packet of vegetable or flower seeds and return seeds from their own plants at the end of the season.',
      detail:
        'The shelf started with about eighty varieties, many donated by a local gardening club. Each packet comes with simple growing instructions written by volunteers.',
      who: 'Librarian Clara Boone',
      quote: 'A library is about sharing things that grow in value when they are shared. Seeds are perfect for that',
    },
  ],
};

export const harborlightChannels: ChannelKit[] = [gscience, glocal];
export const harborlightAuthors = ['Maren Ashby', 'Tomas Quill', 'Ruth Adeyemi', 'Owen Castellane'];
