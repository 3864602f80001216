// A 12-lead table written out by hand for the signal tests: NULL features and targets, values
// exactly on the default band edges, two wirehouse leads, three splits. Expected numbers in the
// tests are counted from these lines by hand.
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

export const FIXTURE_CSV = `lead_id,contacted_date,target,split,is_wirehouse,current_firm_tenure_months,industry_tenure_months,firm_rep_count_at_contact,firm_net_change_12mo,num_prior_firms,ratio
L01,2024-02-01,1,TRAIN,0,12,60,1,-1,3,0.5
L02,2024-02-02,0,TRAIN,0,36,100,10,-10,0,1
L03,2024-02-03,1,TRAIN,0,37,,11,-11,5,1.5
L04,2024-03-01,0,TRAIN,1,11,200,50,0,2,2
L05,2024-03-02,,TRAIN,0,24,80,,-5,,
L06,2024-04-01,1,TEST,0,,90,5,,3,0
L07,2024-04-02,0,TEST,1,0,30,0,1,1,2.5
L08,2024-05-01,0,TEST,0,121,300,1001,-20,4,1.99
L09,2024-05-02,1,GAP,0,48,181,51,3,2,3
L10,2024-06-01,,GAP,0,12,59,2,-3,7,1
L11,2024-06-02,0,TEST,0,120,240,200,-10,3,0.99
L12,2024-07-01,1,TEST,0,30,241,8,0,0,2
`;

/** Writes the fixture to a fresh temp directory and returns its path. */
export function writeFixture(name = "leads.csv", text = FIXTURE_CSV): string {
  const path = join(mkdtempSync(join(tmpdir(), "tierlab-signals-")), name);
  writeFileSync(path, text);
  return path;
}

/** Wilson 95% intervals of the fixture's proportions, computed separately (z = 1.959963984540054). */
export const WILSON: Record<string, [number, number]> = {
  "5/10": [0.236593090512564, 0.7634069094874361],
  "0/2": [0, 0.6576197724933469],
  "2/3": [0.20765960080204765, 0.9385080552796037],
  "3/4": [0.30064184258240184, 0.9544127391902995],
  "1/2": [0.09453120573423074, 0.9054687942657693],
  "1/3": [0.06149194472039615, 0.7923403991979523],
  "3/5": [0.2307242812760128, 0.882379225767352],
  "2/2": [0.34238022750665303, 1],
  "0/1": [0, 0.7934506856227626],
  "1/1": [0.20654931437723745, 1],
  "2/4": [0.15003898915214953, 0.8499610108478505]
};
